package routes

// statsRoutes are the stats service's public routes.
func statsRoutes() []Route {
	return nil
}

package routes

// sitesRoutes are the sites service's public routes.
func sitesRoutes() []Route {
	return nil
}

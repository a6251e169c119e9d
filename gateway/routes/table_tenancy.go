package routes

// tenancyRoutes are the tenancy service's public routes.
func tenancyRoutes() []Route {
	return nil
}

package routes

// billingRoutes are the billing service's public routes.
func billingRoutes() []Route {
	var rs []Route
	rs = append(rs, wuCRUD("customers", "customer", Billing, "Customer")...)
	return rs
}

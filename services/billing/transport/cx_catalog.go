package transport

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/dialect/cx"
	"github.com/hostplane/hostplane/libs/dialect/decode"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/services/billing/groups"
	"github.com/hostplane/hostplane/services/billing/products"
)

// cxProduct is a product as the cx dialect shows it; pricing and group
// appear when asked for (include=pricing,group or pricing=1).
type cxProduct struct {
	ID          int64            `json:"id"`
	Name        string           `json:"name"`
	Slug        string           `json:"slug"`
	Description string           `json:"description"`
	Type        string           `json:"type"`
	Status      string           `json:"status"`
	GroupID     *int64           `json:"group_id"`
	Stock       int              `json:"stock"`
	Pinned      bool             `json:"pinned"`
	SortOrder   int              `json:"sort_order"`
	Currency    string           `json:"currency"`
	Price       json.Number      `json:"price"`
	SetupFee    json.Number      `json:"setup_fee"`
	Billing     string           `json:"billing"`
	Limits      map[string]int64 `json:"limits"`
	CreatedAt   time.Time        `json:"created_at"`
	UpdatedAt   time.Time        `json:"updated_at"`
	Pricing     *[]cxPricing     `json:"pricing,omitempty"`
	Group       json.RawMessage  `json:"group,omitempty"`
}

func cxProductView(p products.Product) cxProduct {
	p = p.Clone()
	v := cxProduct{
		ID: p.ID, Name: p.Name, Slug: p.Slug, Description: p.Description, Type: p.Type, Status: p.Status,
		Stock: p.Stock, Pinned: p.Pinned, SortOrder: p.SortOrder, Currency: p.Currency, Price: decimal(p.Amount, p.Currency),
		SetupFee: decimal(p.SetupFee, p.Currency), Billing: products.CycleOf(p.Recurring, p.Duration, p.DurationUnit),
		Limits: p.Limits, CreatedAt: p.DateCreated, UpdatedAt: p.DateModified,
	}
	if p.GroupID != 0 {
		id := p.GroupID
		v.GroupID = &id
	}
	return v
}

// cxGroup is a product group as the cx dialect shows it.
type cxGroup struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Slug        string    `json:"slug"`
	Status      string    `json:"status"`
	Description string    `json:"description"`
	ParentID    *int64    `json:"parent_id"`
	SortOrder   int       `json:"sort_order"`
	Pinned      bool      `json:"pinned"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func cxGroupView(g groups.Group) cxGroup {
	v := cxGroup{ID: g.ID, Name: g.Name, Slug: g.Slug, Status: g.Status, Description: g.Description,
		SortOrder: g.SortOrder, Pinned: g.Pinned, CreatedAt: g.DateCreated, UpdatedAt: g.DateModified}
	if g.ParentID != 0 {
		id := g.ParentID
		v.ParentID = &id
	}
	return v
}

// cxPricing is a pricing as the cx dialect shows it: a decimal per cycle
// and setup fee, null where the product is not sold on that cycle.
type cxPricing map[string]any

func cxPricingView(p products.Pricing) cxPricing {
	v := cxPricing{"id": p.ID, "product_id": p.ProductID, "related_id": p.ProductID, "related_type": "product",
		"currency": p.Currency, "created_at": p.DateCreated, "updated_at": p.DateModified}
	for _, c := range products.Cycles {
		v[c], v["setup_"+c] = nil, nil
		if n, ok := p.Prices[c]; ok {
			v[c] = decimal(n, p.Currency)
		}
		if n, ok := p.Setup[c]; ok {
			v["setup_"+c] = decimal(n, p.Currency)
		}
	}
	return v
}

// MarshalJSON writes a pricing's fields in a stable order.
func (p cxPricing) MarshalJSON() ([]byte, error) {
	keys := []string{"id", "product_id", "related_id", "related_type", "currency"}
	keys = append(keys, products.Cycles...)
	for _, c := range products.Cycles {
		keys = append(keys, "setup_"+c)
	}
	keys = append(keys, "created_at", "updated_at")
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kj, _ := json.Marshal(k)
		vj, err := json.Marshal(p[k])
		if err != nil {
			return nil, err
		}
		b.Write(kj)
		b.WriteByte(':')
		b.Write(vj)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

// cxProductBody creates or updates a product (cx names).
type cxProductBody struct {
	Name        *string           `json:"name"`
	Slug        *string           `json:"slug"`
	Description *string           `json:"description"`
	Type        *string           `json:"type"`
	Status      *string           `json:"status"`
	GroupID     *int64            `json:"group_id"`
	Stock       *int              `json:"stock"`
	Pinned      *bool             `json:"pinned"`
	SortOrder   *int              `json:"sort_order"`
	Currency    *string           `json:"currency"`
	Price       *amountText       `json:"price"`
	SetupFee    *amountText       `json:"setup_fee"`
	Limits      *map[string]int64 `json:"limits"`
}

func readCXProduct(r *http.Request) (products.Input, error) {
	var b cxProductBody
	if err := decode.Body(r, &b, cxBodyOptions); err != nil {
		return products.Input{}, err
	}
	return products.Input{Name: b.Name, Slug: b.Slug, Description: b.Description, Type: b.Type, Status: b.Status,
		GroupID: b.GroupID, Stock: b.Stock, Pinned: b.Pinned, SortOrder: b.SortOrder, Currency: b.Currency,
		Amount: text(b.Price), SetupFee: text(b.SetupFee), Limits: b.Limits}, nil
}

var cxProductList = cx.ListSpec{Filters: []string{"status", "type", "group_id"}, Sorts: []string{"sort_order", "id", "name", "created_at"},
	Includes: []string{"pricing", "group"}}

var cxProductSorts = map[string]products.Order{"sort_order": products.BySortOrder, "id": products.ByID, "name": products.ByName,
	"created_at": products.ByDateCreated}

func decodeCXProductList(r *http.Request) (any, error) {
	q, err := cx.ParseList(r.URL.Query(), cxProductList)
	if err != nil {
		return nil, err
	}
	f := products.ListFilter{Search: q.Q, Status: q.Filters["status"], Type: q.Filters["type"],
		OrderBy: cxProductSorts[q.Sort], Desc: q.Desc, Offset: q.Offset(), Limit: q.PerPage}
	if v, ok := q.Filters["group_id"]; ok {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return nil, errs.InvalidField("filter[group_id]", "Must be a positive integer.")
		}
		f.GroupID = id
	}
	return products.ListRequest{Filter: f}, nil
}

// includes reads what a product answer embeds (include= and pricing=1).
func includes(r *http.Request) (pricing, group bool) {
	q, _ := cx.ParseList(r.URL.Query(), cxProductList)
	return contains(q.Include, "pricing"), contains(q.Include, "group")
}

// embed adds the pricings and groups asked for to product views.
func embed(r *http.Request, e Endpoints, views []cxProduct) error {
	pricing, group := includes(r)
	if pricing && len(views) > 0 {
		ids := make([]int64, len(views))
		for i, v := range views {
			ids[i] = v.ID
		}
		resp, err := e.Products.ListPricings(r.Context(), products.ListPricingsRequest{Filter: products.PricingFilter{ProductIDs: ids}})
		if err != nil {
			return err
		}
		by := map[int64][]cxPricing{}
		for _, p := range resp.(products.ListPricingsResponse).Pricings {
			by[p.ProductID] = append(by[p.ProductID], cxPricingView(p))
		}
		for i := range views {
			list := by[views[i].ID]
			if list == nil {
				list = []cxPricing{}
			}
			views[i].Pricing = &list
		}
	}
	if group {
		cache := map[int64]json.RawMessage{}
		for i := range views {
			views[i].Group = json.RawMessage("null")
			if views[i].GroupID == nil {
				continue
			}
			id := *views[i].GroupID
			if g, ok := cache[id]; ok {
				views[i].Group = g
				continue
			}
			resp, err := e.Groups.Get(r.Context(), groups.IDRequest{ID: id})
			if err != nil && errs.KindOf(err) != errs.NotFound {
				return err
			}
			if err == nil {
				b, _ := json.Marshal(cxGroupView(resp.(groups.Group)))
				views[i].Group = b
			}
			cache[id] = views[i].Group
		}
	}
	return nil
}

// mountCXCatalog mounts /api/application/products, /groups and /pricings:
// list, create, show, update (PUT or POST) and delete each.
func mountCXCatalog(r *httpkit.Router, e Endpoints) {
	oneProduct := func(status int) httpkit.Encoder {
		return func(w http.ResponseWriter, r *http.Request, resp any) error {
			views := []cxProduct{cxProductView(resp.(products.Product))}
			if err := embed(r, e, views); err != nil {
				return err
			}
			cx.WriteItem(w, r, status, views[0])
			return nil
		}
	}
	productID := func(r *http.Request) (any, error) {
		id, err := httpkit.PathID(r, "id", "product")
		return products.IDRequest{ID: id}, err
	}
	cxCRUD(r, "products", cxHandlers{
		list: httpkit.Endpoint(e.Products.List, decodeCXProductList, func(w http.ResponseWriter, r *http.Request, resp any) error {
			lr := resp.(products.ListResponse)
			views := make([]cxProduct, len(lr.Products))
			for i, p := range lr.Products {
				views[i] = cxProductView(p)
			}
			if err := embed(r, e, views); err != nil {
				return err
			}
			q, _ := cx.ParseList(r.URL.Query(), cxProductList)
			cx.WriteList(w, r, views, lr.Total, q)
			return nil
		}, cx.WriteError),
		create: httpkit.Endpoint(e.Products.Create, func(r *http.Request) (any, error) {
			in, err := readCXProduct(r)
			return products.CreateRequest{In: in}, err
		}, oneProduct(http.StatusCreated), cx.WriteError),
		get: httpkit.Endpoint(e.Products.Get, productID, oneProduct(http.StatusOK), cx.WriteError),
		update: httpkit.Endpoint(e.Products.Update, func(r *http.Request) (any, error) {
			id, err := httpkit.PathID(r, "id", "product")
			if err != nil {
				return nil, err
			}
			in, err := readCXProduct(r)
			return products.UpdateRequest{ID: id, In: in}, err
		}, oneProduct(http.StatusOK), cx.WriteError),
		del: httpkit.Endpoint(e.Products.Delete, productID, oneProduct(http.StatusOK), cx.WriteError),
	})

	groupID := func(r *http.Request) (any, error) {
		id, err := httpkit.PathID(r, "id", "group")
		return groups.IDRequest{ID: id}, err
	}
	groupList := cx.ListSpec{Filters: []string{"status", "parent_id"}, Sorts: []string{"sort_order", "-sort_order"}}
	cxCRUD(r, "groups", cxHandlers{
		list: httpkit.Endpoint(e.Groups.List, func(r *http.Request) (any, error) {
			q, err := cx.ParseList(r.URL.Query(), groupList)
			if err != nil {
				return nil, err
			}
			f := groups.ListFilter{Status: q.Filters["status"], Search: q.Q, Desc: q.Desc, Offset: q.Offset(), Limit: q.PerPage}
			if v, ok := q.Filters["parent_id"]; ok {
				id, err := strconv.ParseInt(v, 10, 64)
				if err != nil || id < 0 {
					return nil, errs.InvalidField("filter[parent_id]", "Must be an integer (0: top level).")
				}
				f.ParentID = &id
			}
			return groups.ListRequest{Filter: f}, nil
		}, func(w http.ResponseWriter, r *http.Request, resp any) error {
			lr := resp.(groups.ListResponse)
			views := make([]cxGroup, len(lr.Groups))
			for i, g := range lr.Groups {
				views[i] = cxGroupView(g)
			}
			q, _ := cx.ParseList(r.URL.Query(), groupList)
			cx.WriteList(w, r, views, lr.Total, q)
			return nil
		}, cx.WriteError),
		create: httpkit.Endpoint(e.Groups.Create, func(r *http.Request) (any, error) {
			in, err := readCXGroup(r)
			return groups.CreateRequest{In: in}, err
		}, cxItem(http.StatusCreated, cxGroupView), cx.WriteError),
		get: httpkit.Endpoint(e.Groups.Get, groupID, cxItem(http.StatusOK, cxGroupView), cx.WriteError),
		update: httpkit.Endpoint(e.Groups.Update, func(r *http.Request) (any, error) {
			id, err := httpkit.PathID(r, "id", "group")
			if err != nil {
				return nil, err
			}
			in, err := readCXGroup(r)
			return groups.UpdateRequest{ID: id, In: in}, err
		}, cxItem(http.StatusOK, cxGroupView), cx.WriteError),
		del: httpkit.Endpoint(e.Groups.Delete, groupID, cxItem(http.StatusOK, cxGroupView), cx.WriteError),
	})

	pricingID := func(r *http.Request) (any, error) {
		id, err := httpkit.PathID(r, "id", "pricing")
		return products.IDRequest{ID: id}, err
	}
	pricingList := cx.ListSpec{Filters: []string{"product_id", "related_id", "currency"}, Sorts: []string{"id"}}
	cxCRUD(r, "pricings", cxHandlers{
		list: httpkit.Endpoint(e.Products.ListPricings, func(r *http.Request) (any, error) {
			q, err := cx.ParseList(r.URL.Query(), pricingList)
			if err != nil {
				return nil, err
			}
			f := products.PricingFilter{Currency: strings.ToUpper(q.Filters["currency"]), Desc: q.Desc, Offset: q.Offset(), Limit: q.PerPage}
			for _, name := range []string{"product_id", "related_id"} {
				if v, ok := q.Filters[name]; ok {
					id, err := strconv.ParseInt(v, 10, 64)
					if err != nil || id <= 0 {
						return nil, errs.InvalidField("filter["+name+"]", "Must be a positive integer.")
					}
					f.ProductIDs = []int64{id}
				}
			}
			return products.ListPricingsRequest{Filter: f}, nil
		}, func(w http.ResponseWriter, r *http.Request, resp any) error {
			lr := resp.(products.ListPricingsResponse)
			views := make([]cxPricing, len(lr.Pricings))
			for i, p := range lr.Pricings {
				views[i] = cxPricingView(p)
			}
			q, _ := cx.ParseList(r.URL.Query(), pricingList)
			cx.WriteList(w, r, views, lr.Total, q)
			return nil
		}, cx.WriteError),
		create: httpkit.Endpoint(e.Products.CreatePricing, func(r *http.Request) (any, error) {
			in, err := readCXPricing(r)
			return products.CreatePricingRequest{In: in}, err
		}, cxItem(http.StatusCreated, cxPricingView), cx.WriteError),
		get: httpkit.Endpoint(e.Products.GetPricing, pricingID, cxItem(http.StatusOK, cxPricingView), cx.WriteError),
		update: httpkit.Endpoint(e.Products.UpdatePricing, func(r *http.Request) (any, error) {
			id, err := httpkit.PathID(r, "id", "pricing")
			if err != nil {
				return nil, err
			}
			in, err := readCXPricing(r)
			return products.UpdatePricingRequest{ID: id, In: in}, err
		}, cxItem(http.StatusOK, cxPricingView), cx.WriteError),
		del: httpkit.Endpoint(e.Products.DeletePricing, pricingID, cxItem(http.StatusOK, cxPricingView), cx.WriteError),
	})
}

// cxHandlers are the handlers of one cx resource.
type cxHandlers struct{ list, create, get, update, del http.Handler }

// cxCRUD mounts a cx resource: GET and POST /x; GET, PUT, POST (update)
// and DELETE /x/{id}.
func cxCRUD(r *httpkit.Router, name string, h cxHandlers) {
	base := cxPrefix + name
	r.Handle(http.MethodGet, base, h.list)
	r.Handle(http.MethodPost, base, h.create)
	r.Handle(http.MethodGet, base+"/{id}", h.get)
	r.Handle(http.MethodPut, base+"/{id}", h.update)
	r.Handle(http.MethodPost, base+"/{id}", h.update)
	r.Handle(http.MethodDelete, base+"/{id}", h.del)
}

// cxGroupBody creates or updates a group.
type cxGroupBody struct {
	Name        *string `json:"name"`
	Slug        *string `json:"slug"`
	Status      *string `json:"status"`
	Description *string `json:"description"`
	ParentID    *int64  `json:"parent_id"`
	SortOrder   *int    `json:"sort_order"`
	Pinned      *bool   `json:"pinned"`
}

func readCXGroup(r *http.Request) (groups.Input, error) {
	var b cxGroupBody
	if err := decode.Body(r, &b, cxBodyOptions); err != nil {
		return groups.Input{}, err
	}
	return groups.Input{Name: b.Name, Slug: b.Slug, Status: b.Status, Description: b.Description,
		ParentID: b.ParentID, SortOrder: b.SortOrder, Pinned: b.Pinned}, nil
}

// readCXPricing reads a pricing body: product_id (or related_id),
// currency, and any cycle or setup_<cycle> as a decimal (number or
// numeric string), or null or "" to stop selling that cycle.
func readCXPricing(r *http.Request) (products.PricingInput, error) {
	var body map[string]any
	if err := decode.Body(r, &body, cxBodyOptions); err != nil {
		return products.PricingInput{}, err
	}
	in := products.PricingInput{Prices: map[string]*string{}, Setup: map[string]*string{}}
	var c errs.Collector
	cycles := map[string]bool{}
	for _, cyc := range products.Cycles {
		cycles[cyc], cycles["setup_"+cyc] = true, true
	}
	for k, v := range body {
		switch {
		case k == "product_id" || k == "related_id":
			id, ok := integer(v)
			if !ok || id <= 0 {
				c.Invalid(k, "Must be a positive integer.")
				continue
			}
			in.ProductID = &id
		case k == "currency":
			s, ok := v.(string)
			if !ok {
				c.Invalid(k, "Must be a currency code.")
				continue
			}
			in.Currency = &s
		case k == "related_type":
			if s, _ := v.(string); s != "product" && s != "" {
				c.Invalid(k, "Only products have pricings.")
			}
		case cycles[k]:
			var t *string
			switch x := v.(type) {
			case nil:
			case json.Number:
				s := x.String()
				t = &s
			case string:
				if strings.TrimSpace(x) != "" {
					t = &x
				}
			default:
				c.Invalid(k, "Must be a decimal amount or null.")
				continue
			}
			if cyc, ok := strings.CutPrefix(k, "setup_"); ok {
				in.Setup[cyc] = t
			} else {
				in.Prices[k] = t
			}
		default:
			c.Invalid(k, "Unknown parameter.")
		}
	}
	return in, c.Err()
}

// integer reads a JSON number or numeric string as an integer.
func integer(v any) (int64, bool) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = x.String()
	case string:
		s = strings.TrimSpace(x)
	default:
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

package archmap

// Layer is an architectural layer of a code base: a group of crates, a
// module of a large crate, or a role such as documentation. Layers are
// listed in ascending Order; for layers from [Infer] that is the crate
// dependency order, dependencies first. The built-in [DefaultLayers] of the
// word-table heuristics keep their fixed order.
type Layer struct {
	// ID is the stable machine name, for example "api_models".
	ID string `json:"id" yaml:"id"`
	// Title is the human title, for example "API Request/Response Models".
	Title string `json:"title" yaml:"title"`
	// Order sorts layers in architectural order; lower comes first.
	Order int `json:"order" yaml:"order"`
	// Crates are the crates whose files the layer holds (package names,
	// sorted); empty for role layers (documentation, CI…) and for layers
	// defined by glob rules alone.
	Crates []string `json:"crates,omitempty" yaml:"crates,omitempty"`
}

// IDs of the built-in layers returned by [DefaultLayers].
const (
	LayerAPIModels     = "api_models"
	LayerRoutes        = "routes"
	LayerCore          = "core"
	LayerDomainModels  = "domain_models"
	LayerDatabase      = "database"
	LayerStorage       = "storage"
	LayerConnectors    = "connectors"
	LayerShared        = "shared"
	LayerMacros        = "macros"
	LayerConfiguration = "configuration"
	LayerBuild         = "build"
	LayerTests         = "tests"
	LayerDocumentation = "documentation"
	LayerCI            = "ci"
)

// DefaultLayers returns the layers of the word-table heuristics ([Default])
// in their fixed order. The returned slice is a fresh copy that the caller
// may modify.
func DefaultLayers() []Layer {
	return []Layer{
		{ID: LayerAPIModels, Title: "API Request/Response Models", Order: 10},
		{ID: LayerRoutes, Title: "API Routes & Handlers", Order: 20},
		{ID: LayerCore, Title: "Core Business Logic", Order: 30},
		{ID: LayerDomainModels, Title: "Domain Models (Business Logic Types)", Order: 40},
		{ID: LayerDatabase, Title: "Database Layer (Queries & Schema)", Order: 50},
		{ID: LayerStorage, Title: "Storage & Caching", Order: 60},
		{ID: LayerConnectors, Title: "External Connector Integration", Order: 70},
		{ID: LayerShared, Title: "Shared Types & Utilities", Order: 80},
		{ID: LayerMacros, Title: "Macros & Code Generation", Order: 90},
		{ID: LayerConfiguration, Title: "Configuration", Order: 100},
		{ID: LayerBuild, Title: "Build & Dependencies", Order: 110},
		{ID: LayerTests, Title: "Tests", Order: 120},
		{ID: LayerDocumentation, Title: "Documentation", Order: 130},
		{ID: LayerCI, Title: "CI & Tooling", Order: 140},
	}
}

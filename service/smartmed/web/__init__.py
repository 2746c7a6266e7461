"""The routes: API, feeds, pages, configurator, embed, widget, assets, OpenAPI."""

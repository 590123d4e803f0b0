"""The read API for apps, versioned under /api/v1/: published content as JSON, described by openapi.json."""

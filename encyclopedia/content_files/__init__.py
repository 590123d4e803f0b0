"""Articles as Markdown files with a YAML front matter: read and checked (parse, which documents
the format), written to the database (sync) and exported (export). Commands use the names below."""

from .export import article_file_path, article_to_text, articles_for_export  # noqa: F401
from .images import (  # noqa: F401
    image_file_paths,
    image_to_text,
    images_for_export,
    import_image_files,
    read_image_files,
)
from .parse import ContentFilesInvalid, read_article_files  # noqa: F401
from .sync import assign_changes, import_article_files  # noqa: F401

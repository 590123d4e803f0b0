"""Articles as Markdown files with a YAML front matter: read and checked (parse, which documents
the format), written to the database (sync) and exported (export). Commands use the names below."""

from .export import article_file_path, article_to_text, articles_for_export  # noqa: F401
from .parse import ContentFilesInvalid, read_article_files  # noqa: F401
from .sync import assign_changes, import_article_files  # noqa: F401

"""Articles as Markdown files with a YAML front matter (the format: see parse.py)."""

from .parse import (  # noqa: F401
    ContentFilesInvalid,
    article_file_path,
    article_to_text,
    articles_for_export,
    assign_changes,
    import_article_files,
    read_article_files,
)

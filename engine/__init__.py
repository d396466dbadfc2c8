"""termkam's engine: catalog, scanner, jobs and the AI pipelines. Never imports textual."""

/* Placeholder until the extractor modules land. */
int extract_stub_unused(void);
int extract_stub_unused(void) { return 0; }

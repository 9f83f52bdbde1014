/* Placeholder until the normalizeor modules land. */
int normalize_stub_unused(void);
int normalize_stub_unused(void) { return 0; }

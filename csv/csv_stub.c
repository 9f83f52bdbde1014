/* Placeholder until the csvor modules land. */
int csv_stub_unused(void);
int csv_stub_unused(void) { return 0; }

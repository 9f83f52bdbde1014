/* Placeholder until the driveror modules land. */
int driver_stub_unused(void);
int driver_stub_unused(void) { return 0; }

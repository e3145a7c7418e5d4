/*
 * Included first into every hypervisor file (-include): every symbol is
 * hidden, so the position-independent code reaches all of them directly
 * (RIP-relative) instead of through a global offset table.
 */
#pragma GCC visibility push(hidden)

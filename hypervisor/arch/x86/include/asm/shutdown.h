/*
 * What the machine does when dom0 shuts down.
 */
#ifndef ASM_SHUTDOWN_H
#define ASM_SHUTDOWN_H

// arch/x86/shutdown.c
void hardware_domain_shutdown(unsigned int reason);

#endif /* ASM_SHUTDOWN_H */

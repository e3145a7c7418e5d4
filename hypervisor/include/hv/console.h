/*
 * The hypervisor console: where printk output goes (the serial port,
 * unless console=none) and where console input comes from.
 */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include <stddef.h>

// common/console.c
void console_init_early(void);
void console_init(void);
void console_write(const char *s, size_t len);
int console_getc(void);
void console_init_irq(void);

// drivers/ns16550.c
int ns16550_init(unsigned int io_base, unsigned int baud);
void ns16550_putc(unsigned int io_base, char c);
int ns16550_getc(unsigned int io_base);
void ns16550_enable_rx_irq(unsigned int io_base);

#endif /* HV_CONSOLE_H */

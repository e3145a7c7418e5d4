/*
 * 16550 UART driver, polled. Paravane's console is COM1 (I/O port 0x3f8)
 * unless the command line names another base; 8 data bits, no parity,
 * one stop bit, FIFOs on.
 */
#include <hv/console.h>
#include <hv/lib.h>

#include <asm/io.h>

#define UART_RBR 0 /* receive buffer (read) */
#define UART_THR 0 /* transmit holding (write) */
#define UART_DLL 0 /* divisor latch low (DLAB=1) */
#define UART_IER 1
#define UART_DLM 1 /* divisor latch high (DLAB=1) */
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_SCR 7

#define LCR_8N1 0x03
#define LCR_DLAB 0x80
#define FCR_ENABLE_CLEAR 0x07
#define MCR_DTR_RTS_OUT2 0x0b
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20

#define UART_CLOCK 115200

/*
 * Program the UART at io_base for the given baud rate. Returns 0, or
 * -ENODEV when no UART answers at that port (its scratch register does
 * not hold a value).
 */
int ns16550_init(unsigned int io_base, unsigned int baud)
{
	unsigned int div;

	outb(io_base + UART_SCR, 0x5a);
	if (inb(io_base + UART_SCR) != 0x5a)
		return -ENODEV;
	if (!baud || baud > UART_CLOCK)
		baud = UART_CLOCK;
	div = UART_CLOCK / baud;

	outb(io_base + UART_IER, 0);
	outb(io_base + UART_LCR, LCR_DLAB);
	outb(io_base + UART_DLL, div & 0xff);
	outb(io_base + UART_DLM, (div >> 8) & 0xff);
	outb(io_base + UART_LCR, LCR_8N1);
	outb(io_base + UART_FCR, FCR_ENABLE_CLEAR);
	outb(io_base + UART_MCR, MCR_DTR_RTS_OUT2);
	return 0;
}

/* Send one byte, waiting (boundedly) for room in the transmitter. */
void ns16550_putc(unsigned int io_base, char c)
{
	for (unsigned int spins = 0; spins < 1000000; spins++)
		if (inb(io_base + UART_LSR) & LSR_THR_EMPTY)
			break;
	outb(io_base + UART_THR, (uint8_t)c);
}

/* Interrupt on received data (the line must be routed by the caller). */
void ns16550_enable_rx_irq(unsigned int io_base)
{
	outb(io_base + UART_IER, 0x01);
}

/* One received byte, or -1 if none is waiting. */
int ns16550_getc(unsigned int io_base)
{
	if (!(inb(io_base + UART_LSR) & LSR_DATA_READY))
		return -1;
	return inb(io_base + UART_RBR);
}

/*
 * The hypervisor console. Output goes to COM1 from the first line of C
 * onwards (console_init_early); once the command line is parsed,
 * console_init() applies console= and com1=:
 *
 *   console=com1 | none        where printk output goes (default com1)
 *   com1=<baud>[,<io-base>]    serial settings (default 115200,0x3f8)
 *
 * Serial output turns "\n" into "\r\n".
 */
#include <hv/console.h>
#include <hv/lib.h>
#include <hv/event.h>
#include <hv/param.h>
#include <hv/softirq.h>

#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/spinlock.h>
#include <xen/xen.h>

#define COM1_BASE 0x3f8
#define COM1_BAUD 115200

static char opt_console[32] = "com1";
string_param("console", opt_console);

static unsigned int com1_base = COM1_BASE;
static unsigned int com1_baud = COM1_BAUD;
static bool serial_enabled;

static int parse_com1(const char *s)
{
	const char *end;
	uint64_t baud = parse_uint(s, &end);
	uint64_t base = COM1_BASE;

	if (end == s || baud == 0 || baud > 115200)
		return -EINVAL;
	if (*end == ',') {
		s = end + 1;
		base = parse_uint(s, &end);
		if (end == s || base == 0 || base > 0xfff8)
			return -EINVAL;
	}
	if (*end)
		return -EINVAL;
	com1_baud = (unsigned int)baud;
	com1_base = (unsigned int)base;
	return 0;
}
custom_param("com1", parse_com1);

/* Bring up COM1 with default settings so the earliest messages show. */
void console_init_early(void)
{
	serial_enabled = ns16550_init(COM1_BASE, COM1_BAUD) == 0;
}

/* Apply the console options from the command line. */
void console_init(void)
{
	if (!strcmp(opt_console, "none")) {
		serial_enabled = false;
		return;
	}
	if (strcmp(opt_console, "com1"))
		pr_warn("console: unknown console '%s', using com1\n",
			opt_console);
	if (com1_base != COM1_BASE || com1_baud != COM1_BAUD)
		serial_enabled = ns16550_init(com1_base, com1_baud) == 0;
}

/* Write raw bytes to every enabled console device. */
void console_write(const char *s, size_t len)
{
	if (!serial_enabled)
		return;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			ns16550_putc(com1_base, '\r');
		ns16550_putc(com1_base, s[i]);
	}
}

/*
 * Console input: the serial line's interrupt moves received bytes into a
 * ring and (from a softirq) raises VIRQ_CONSOLE for dom0, which reads
 * them with CONSOLEIO_read. Before the interrupt is set up, reads poll.
 */
#define RX_RING 1024
static char rx_ring[RX_RING];
static unsigned int rx_head, rx_tail; /* head: next read; tail: next write */
static bool rx_irq;
static DEFINE_SPINLOCK(rx_lock);

static void rx_drain_uart(void)
{
	int c;

	while ((c = ns16550_getc(com1_base)) >= 0) {
		if (rx_tail - rx_head < RX_RING)
			rx_ring[rx_tail++ % RX_RING] = (char)c;
	}
}

static void serial_interrupt(struct cpu_user_regs *regs)
{
	spin_lock(&rx_lock);
	rx_drain_uart();
	spin_unlock(&rx_lock);
	lapic_eoi();
	raise_softirq(CONSOLE_SOFTIRQ);
}

static void console_softirq(void)
{
	send_global_virq(VIRQ_CONSOLE);
}

/* Take input by interrupt from now on. */
void console_init_irq(void)
{
	if (!serial_enabled || com1_base != COM1_BASE)
		return;
	open_softirq(CONSOLE_SOFTIRQ, console_softirq);
	if (request_isa_irq(4, serial_interrupt))
		return;
	rx_irq = true;
	ns16550_enable_rx_irq(com1_base);
}

/* One byte of console input, or -1 if none is waiting. */
int console_getc(void)
{
	unsigned long flags;
	int c = -1;

	if (!serial_enabled)
		return -1;
	flags = spin_lock_irqsave(&rx_lock);
	if (!rx_irq)
		rx_drain_uart();
	if (rx_head != rx_tail)
		c = (unsigned char)rx_ring[rx_head++ % RX_RING];
	spin_unlock_irqrestore(&rx_lock, flags);
	return c;
}

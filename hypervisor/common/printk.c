/*
 * printk: formatted, levelled hypervisor messages. Each line is prefixed
 * with "(PV) " and written to the console when its level passes the
 * loglvl= threshold; every line, whatever its level, is also kept in a
 * ring buffer that dom0 can read back (the equivalent of "xl dmesg").
 *
 *   loglvl=none|error|warning|info|debug|all   (default: info)
 *
 * The console lock is the innermost lock in Paravane. The panic path
 * breaks it (printk_force_unlock) so a CPU that faulted while printing
 * can still report why.
 */
#include <hv/console.h>
#include <hv/lib.h>
#include <hv/param.h>

#include <asm/spinlock.h>

#define LOG_RING_SIZE (64 * 1024)
#define PRINTK_LINE_MAX 512
#define PREFIX "(PV) "

static DEFINE_SPINLOCK(printk_lock);
static enum log_level threshold = LOG_INFO;
static char log_ring[LOG_RING_SIZE];
static size_t log_written; /* bytes ever written to the ring */
static size_t log_cleared; /* readers see nothing written before this */
static bool at_line_start = true;

static int parse_loglvl(const char *s)
{
	static const struct {
		const char *name;
		enum log_level lvl;
	} names[] = {
		{"none", 0},	       {"error", LOG_ERR}, {"err", LOG_ERR},
		{"warning", LOG_WARN}, {"warn", LOG_WARN}, {"info", LOG_INFO},
		{"debug", LOG_DEBUG},  {"all", LOG_DEBUG},
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcmp(s, names[i].name)) {
			threshold = names[i].lvl;
			return 0;
		}
	}
	return -EINVAL;
}
custom_param("loglvl", parse_loglvl);

/* Set the level at and above which messages reach the console. */
void printk_set_level(enum log_level lvl)
{
	threshold = lvl;
}

/* The current console threshold. */
enum log_level printk_get_level(void)
{
	return threshold;
}

static void ring_put(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		log_ring[(log_written + i) % LOG_RING_SIZE] = s[i];
	log_written += len;
}

static void emit(const char *s, size_t len, bool to_console)
{
	ring_put(s, len);
	if (to_console)
		console_write(s, len);
}

/* Format and log one message at level lvl. */
void vprintk_level(enum log_level lvl, const char *fmt, va_list ap)
{
	char buf[PRINTK_LINE_MAX];
	bool show = lvl <= threshold;
	unsigned long flags;
	size_t len, start = 0;
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	len = n < 0 ? 0 : MIN((size_t)n, sizeof(buf) - 1);
	flags = spin_lock_irqsave(&printk_lock);
	for (size_t i = 0; i < len; i++) {
		if (at_line_start) {
			emit(PREFIX, sizeof(PREFIX) - 1, show);
			at_line_start = false;
		}
		if (buf[i] == '\n') {
			emit(buf + start, i + 1 - start, show);
			start = i + 1;
			at_line_start = true;
		}
	}
	if (start < len)
		emit(buf + start, len - start, show);
	spin_unlock_irqrestore(&printk_lock, flags);
}

/* Format and log one message at level lvl. */
void printk_level(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk_level(lvl, fmt, ap);
	va_end(ap);
}

/*
 * Read the log ring as Xen's console ring is read (sysctl readconsole):
 * from the oldest byte still kept, or from *index when from_index and
 * that is newer, copy up to max bytes into buf; *index becomes the
 * position after the last byte copied. clear forgets everything written
 * so far. Positions count bytes ever written, modulo 2^32. Returns the
 * number of bytes copied.
 */
size_t printk_read_ring(char *buf, size_t max, uint32_t *index, bool from_index,
			bool clear)
{
	unsigned long flags;
	size_t oldest, from, n;

	flags = spin_lock_irqsave(&printk_lock);
	oldest = log_written > LOG_RING_SIZE ? log_written - LOG_RING_SIZE : 0;
	oldest = MAX(oldest, log_cleared);
	from = oldest;
	if (from_index) {
		/* The newest position with these low 32 bits, not past now. */
		size_t want = (log_written & ~(size_t)UINT32_MAX) | *index;

		if (want > log_written)
			want -= (size_t)1 << 32;
		if (want > oldest && want <= log_written)
			from = want;
	}
	n = MIN(max, log_written - from);
	for (size_t i = 0; i < n; i++)
		buf[i] = log_ring[(from + i) % LOG_RING_SIZE];
	*index = (uint32_t)(from + n);
	if (clear)
		log_cleared = log_written;
	spin_unlock_irqrestore(&printk_lock, flags);
	return n;
}

/*
 * Write text to the console as it is, without prefix or log: dom0's
 * console_io output. It takes the console lock like a message, so a
 * message from another CPU never lands inside the write.
 */
void printk_raw(const char *s, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&printk_lock);

	console_write(s, len);
	spin_unlock_irqrestore(&printk_lock, flags);
}

/* Panic path only: take the console from whoever held it. */
void printk_force_unlock(void)
{
	spin_lock_init(&printk_lock);
	at_line_start = true;
	console_write("\n", 1);
}

/*
 * Compiler helpers shared by every part of Paravane: the hypervisor, the
 * pvguest kernel, the tools and the host-compiled tests.
 */
#ifndef PARAVANE_COMPILER_H
#define PARAVANE_COMPILER_H

#define __packed __attribute__((packed))
#define __aligned(n) __attribute__((aligned(n)))
#define __noreturn __attribute__((noreturn))
#define __unused __attribute__((unused))
#define __used __attribute__((used))
#define __section(s) __attribute__((section(s)))
#define __printf(f, a) __attribute__((format(printf, f, a)))
#define __must_check __attribute__((warn_unused_result))
#define __weak __attribute__((weak))

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)

#define container_of(ptr, type, member)                                        \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

#define ROUNDUP(x, a) (((x) + (a)-1) / (a) * (a))
#define ROUNDDOWN(x, a) ((x) / (a) * (a))
#define IS_ALIGNED(x, a) (((x) & ((a)-1)) == 0)
#define DIV_ROUND_UP(x, d) (((x) + (d)-1) / (d))

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define barrier() __asm__ __volatile__("" ::: "memory")

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

#endif /* PARAVANE_COMPILER_H */

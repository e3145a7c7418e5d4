/*
 * vCPUs: per-vCPU data, bringing up the secondary vCPUs, IPIs.
 *
 * vCPU 0 runs on a static struct cpu whose address percpu_init_boot()
 * makes its kernel GS base, before anything else in start_kernel(). A
 * secondary vCPU's struct cpu and stack come from the heap, and its
 * first context is a struct vcpu_guest_context (xen/arch-x86/xen.h):
 *
 *   user_regs       rip = secondary_entry, rsp = top of its stack,
 *                   rdi = its struct cpu, cs/ss = FLAT_KERNEL_CS/SS,
 *                   rflags = IF (Xen keeps IF set for PV guests anyway)
 *   flags           VGCF_in_kernel (starts in guest kernel mode), and
 *                   VGCF_failsafe_disables_events like vCPU 0's callback
 *   trap_ctxt       vCPU 0's trap table, indexed by vector
 *   kernel_ss/sp    the stack Xen switches to from user mode
 *   event/failsafe  vCPU 0's callbacks
 *   ctrlreg[3]      the kernel L4's machine frame, xen_pfn_to_cr3()
 *   gs_base_kernel  its struct cpu
 *
 * No GDT (gdt_ents 0): like vCPU 0, pvguest uses Xen's flat selectors.
 * The new vCPU starts with events masked (vcpu_info's upcall mask) and
 * in secondary_start() binds its IPI and timer, stops its periodic
 * tick, becomes its own idle thread, says it is online and unmasks.
 */
#include <guest/cmdline.h>
#include <guest/console.h>
#include <guest/errno.h>
#include <guest/events.h>
#include <guest/heap.h>
#include <guest/hypercall.h>
#include <guest/memlayout.h>
#include <guest/mm.h>
#include <guest/pagetable.h>
#include <guest/sched.h>
#include <guest/shared_info.h>
#include <guest/shutdown.h>
#include <guest/smp.h>
#include <guest/time.h>
#include <guest/traps.h>
#include <paravane/string.h>

#define X86_EFLAGS_IF 0x200UL
#define CPU_UP_TIMEOUT (5 * NSEC_PER_SEC)

static struct cpu boot_cpu;
static struct cpu *cpus[MAX_CPUS];
static evtchn_port_t ipi_ports[MAX_CPUS];
static unsigned int vcpus_possible = 1;
static struct evtchn_reset_hook reset_hook;

/* vCPU 0's per-vCPU data and GS base: the first step of start_kernel(). */
void percpu_init_boot(void)
{
	boot_cpu.self = &boot_cpu;
	boot_cpu.id = 0;
	boot_cpu.boot_stack = kernel_stack;
	boot_cpu.online = true;
	cpus[0] = &boot_cpu;
	if (HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL,
					(unsigned long)&boot_cpu))
		kernel_crash(); /* nothing can run without it */
}

/* The struct cpu of vCPU id, or NULL if it was never brought up. */
struct cpu *cpu_of(unsigned int id)
{
	return id < MAX_CPUS ? cpus[id] : NULL;
}

/* Whether vCPU id runs pvguest (and so can take threads). */
bool cpu_online(unsigned int id)
{
	struct cpu *c = cpu_of(id);

	return c && c->online;
}

/* The number of online vCPUs. */
unsigned int nr_cpus(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < MAX_CPUS; i++)
		n += cpu_online(i);
	return n;
}

/* The number of vCPUs the domain has (online or not). */
unsigned int smp_vcpus_possible(void)
{
	return vcpus_possible;
}

static void ipi_handler(evtchn_port_t port, void *arg)
{
	/* Nothing to do: the upcall itself ended SCHEDOP_block. */
}

static void bind_ipi(unsigned int cpu)
{
	int rc = evtchn_bind_ipi(cpu, ipi_handler, NULL, &ipi_ports[cpu]);

	if (rc)
		panic("vCPU %u: cannot bind its IPI (%d)", cpu, rc);
}

static void rebind_ipis(void)
{
	for (unsigned int cpu = 0; cpu < MAX_CPUS; cpu++)
		if (cpu_online(cpu))
			bind_ipi(cpu);
}

/* Make vCPU cpu take an upcall (and leave SCHEDOP_block). */
void smp_send_ipi(unsigned int cpu)
{
	if (cpu_online(cpu))
		evtchn_notify(ipi_ports[cpu]);
}

/* The IPI port of vCPU cpu. */
evtchn_port_t smp_ipi_port(unsigned int cpu)
{
	return ipi_ports[cpu];
}

/* A secondary vCPU's first C code (from secondary_entry). */
void __noreturn secondary_start(struct cpu *c)
{
	bind_ipi(c->id);
	time_cpu_init();
	sched_cpu_init();
	__atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
	local_irq_enable();
	cpu_idle();
}

static void fill_context(struct vcpu_guest_context *ctx, struct cpu *c,
			 unsigned long stack_top)
{
	ctx->flags = VGCF_in_kernel | VGCF_failsafe_disables_events;
	ctx->user_regs.rip = (unsigned long)secondary_entry;
	ctx->user_regs.rsp = stack_top;
	ctx->user_regs.rdi = (unsigned long)c;
	ctx->user_regs.cs = FLAT_KERNEL_CS;
	ctx->user_regs.ss = FLAT_KERNEL_SS;
	ctx->user_regs.rflags = X86_EFLAGS_IF;
	trap_table_copy(ctx->trap_ctxt);
	ctx->kernel_ss = FLAT_KERNEL_SS;
	ctx->kernel_sp = stack_top;
	ctx->event_callback_eip = (unsigned long)hypervisor_callback;
	ctx->failsafe_callback_eip = (unsigned long)failsafe_callback;
	ctx->ctrlreg[3] = xen_pfn_to_cr3(mfn_x(pagetable_root()));
	ctx->gs_base_kernel = (unsigned long)c;
}

/* Bring up vCPU id and wait until it runs pvguest. */
static int cpu_up(unsigned int id)
{
	struct vcpu_guest_context *ctx = kzalloc(sizeof(*ctx));
	struct cpu *c = kzalloc(sizeof(*c));
	void *stack = kmalloc(KERNEL_STACK_SIZE);
	uint64_t deadline;
	int rc = -ENOMEM;

	if (!ctx || !c || !stack)
		goto err;
	c->self = c;
	c->id = id;
	c->vcpu_info = &HYPERVISOR_shared_info->vcpu_info[id];
	c->boot_stack = stack;
	fill_context(ctx, c,
		     ((unsigned long)stack + KERNEL_STACK_SIZE) & ~15UL);
	rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, id, ctx);
	if (rc)
		goto err;
	cpus[id] = c;
	rc = HYPERVISOR_vcpu_op(VCPUOP_up, id, NULL);
	if (rc)
		goto err_down;
	kfree(ctx);
	deadline = time_now() + CPU_UP_TIMEOUT;
	while (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE)) {
		if (time_now() > deadline)
			panic("vCPU %u did not come up", id);
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
	return 0;

err_down:
	cpus[id] = NULL;
err:
	kfree(stack);
	kfree(c);
	kfree(ctx);
	return rc;
}

/* How many vCPUs the domain has: Xen answers -ENOENT past the last. */
static unsigned int count_vcpus(void)
{
	unsigned int n = 1;

	while (n < MAX_CPUS &&
	       HYPERVISOR_vcpu_op(VCPUOP_is_up, n, NULL) != -ENOENT)
		n++;
	return n;
}

/* vCPU 0's IPI, then every other vCPU ("cpus=N" may ask for fewer). */
void smp_init(void)
{
	unsigned int want, i;
	char arg[12];

	bind_ipi(0);
	reset_hook.rebind = rebind_ipis;
	evtchn_on_reset(&reset_hook);
	vcpus_possible = count_vcpus();
	want = vcpus_possible;
	if (cmdline_get("cpus", arg, sizeof(arg))) {
		uint64_t n = parse_uint(arg, NULL);

		want = (unsigned int)MAX(MIN(n, (uint64_t)vcpus_possible), 1);
	}
	for (i = 1; i < want; i++) {
		int rc = cpu_up(i);

		if (rc)
			printk("smp: vCPU %u refused to come up (%d)\n", i, rc);
	}
	printk("smp: %u of %u vCPUs online\n", nr_cpus(), vcpus_possible);
}

/*
 * Move this vCPU's vcpu_info out of shared_info into a page of its own
 * (VCPUOP_register_vcpu_info; Xen allows it once per vCPU). Xen copies
 * the old contents over and marks everything pending there, so the next
 * upcall scans every word once.
 */
int smp_move_vcpu_info(void)
{
	struct cpu *c = this_cpu();
	struct vcpu_register_vcpu_info info = {.offset = 0};
	unsigned long flags;
	pfn_t pfn;
	int rc;

	if (alloc_frames(1, &pfn))
		return -ENOMEM;
	memset(frame_va(pfn), 0, PAGE_SIZE);
	info.mfn = mfn_x(pfn_to_mfn(pfn));
	flags = local_irq_save();
	rc = HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, c->id, &info);
	if (!rc)
		c->vcpu_info = frame_va(pfn);
	local_irq_restore(flags);
	if (rc)
		free_frames(pfn, 1);
	return rc;
}

/*
 * Emulation of the privileged instructions a PV kernel may still execute
 * in ring 3, where the CPU refuses them with #GP(0):
 *
 *   in/out        ports the domain may use, if the guest's virtual IOPL
 *                 (or its I/O bitmap) allows; ports the hypervisor owns
 *                 read as all-ones and ignore writes
 *   mov from CRn  the guest's view of CR0 (virtual TS), CR2, CR3, CR4
 *   mov to CRn    CR0.TS only, CR2, CR3 (switch page tables)
 *   clts, wbinvd  the virtual TS; a cache flush for domains with I/O
 *   rdmsr/wrmsr   the segment-base MSRs and a few read-only ones
 *
 * Anything else (or any of these from guest user mode, except permitted
 * I/O) is left to the caller, which bounces #GP to the guest. That
 * includes hlt, as in Xen: a PV guest blocks with SCHEDOP_block. CPUID
 * comes here as #UD with Xen's forced-emulation prefix.
 */
#include <hv/lib.h>
#include <hv/sched.h>

#include <asm/guest_access.h>
#include <asm/io.h>
#include <hv/hypercall.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/pv.h>

#define MAX_INSN 15

struct insn {
	uint8_t bytes[MAX_INSN];
	unsigned int len, pos;
	bool opsize16, rex_w, rex_r, rex_b;
};

/* Ports the hypervisor keeps: the PICs, the PIT, and its serial console. */
static bool port_reserved(unsigned int port)
{
	return port == 0x20 || port == 0x21 || port == 0xa0 || port == 0xa1 ||
	       (port >= 0x40 && port <= 0x43) ||
	       (port >= 0x3f8 && port <= 0x3ff);
}

static uint64_t *gpr(struct cpu_user_regs *r, unsigned int n)
{
	uint64_t *const regs[16] = {
		&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp,
		&r->rsi, &r->rdi, &r->r8,  &r->r9,  &r->r10, &r->r11,
		&r->r12, &r->r13, &r->r14, &r->r15,
	};

	return regs[n & 15];
}

static int fetch(struct insn *in, unsigned long rip)
{
	for (in->len = 0; in->len < MAX_INSN; in->len++)
		if (copy_from_guest_raw(&in->bytes[in->len],
					(void *)(rip + in->len), 1))
			break;
	return in->len ? 0 : -EFAULT;
}

static int next_byte(struct insn *in)
{
	return in->pos < in->len ? in->bytes[in->pos++] : -1;
}

/*
 * The guest's I/O permission for [port, port + bytes). The guest kernel
 * counts as privilege 1, or 0 with the architectural_iopl assist; user
 * mode as 3. Reading the bitmap may switch to guest kernel mode; the
 * caller switches back.
 */
static bool guest_io_okay(struct vcpu *v, struct cpu_user_regs *regs,
			  unsigned int port, unsigned int bytes)
{
	bool arch_iopl = v->domain->vm_assist &
			 (1UL << VMASST_TYPE_architectural_iopl);
	unsigned int cpl = guest_kernel_mode(v) ? (arch_iopl ? 0 : 1) : 3;
	uint16_t bits;

	if (v->arch.iopl >= cpl)
		return true;
	if (port + bytes > v->arch.iobmp_limit)
		return false;
	/* The bitmap is a guest kernel address. */
	if (!guest_kernel_mode(v))
		toggle_guest_mode(v);
	if (copy_from_guest_raw(&bits, (void *)(v->arch.iobmp + (port >> 3)),
				sizeof(bits)))
		bits = 0xffff;
	return !((bits >> (port & 7)) & ((1U << bytes) - 1));
}

static bool emulate_io(struct vcpu *v, struct cpu_user_regs *regs,
		       struct insn *in, int op)
{
	bool was_user = !guest_kernel_mode(v);
	bool in_dir = op == 0xe4 || op == 0xe5 || op == 0xec || op == 0xed;
	unsigned int bytes = (op & 1) ? (in->opsize16 ? 2 : 4) : 1;
	unsigned int port;
	bool ok;

	if (op >= 0xe4 && op <= 0xe7) {
		int p = next_byte(in);

		if (p < 0)
			return false;
		port = (unsigned int)p;
	} else {
		port = regs->rdx & 0xffff;
	}
	ok = guest_io_okay(v, regs, port, bytes);
	if (was_user && guest_kernel_mode(v))
		toggle_guest_mode(v);
	if (!ok)
		return false;

	if (!v->domain->arch.ioports_allowed || port_reserved(port) ||
	    port_reserved(port + bytes - 1)) {
		if (in_dir) /* not the guest's: reads float high */
			regs->rax =
				bytes == 4 ? 0xffffffffUL
					   : regs->rax |
						     ((1UL << (8 * bytes)) - 1);
		return true;
	}
	if (in_dir) {
		uint32_t val = bytes == 1   ? inb(port)
			       : bytes == 2 ? inw(port)
					    : inl(port);

		if (bytes == 4)
			regs->rax = val;
		else
			regs->rax = (regs->rax & ~((1UL << (8 * bytes)) - 1)) |
				    val;
	} else if (bytes == 1) {
		outb(port, (uint8_t)regs->rax);
	} else if (bytes == 2) {
		outw(port, (uint16_t)regs->rax);
	} else {
		outl(port, (uint32_t)regs->rax);
	}
	return true;
}

static unsigned long guest_cr0(const struct vcpu *v)
{
	return (read_cr0() & ~X86_CR0_TS) |
	       (v->arch.virtual_ts ? X86_CR0_TS : 0);
}

static unsigned long guest_cr4(void)
{
	return X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT |
	       (read_cr4() & X86_CR4_PGE);
}

static bool read_cr(struct vcpu *v, unsigned int cr, uint64_t *val)
{
	switch (cr) {
	case 0: *val = guest_cr0(v); return true;
	case 2: *val = v->arch.virtual_cr2; return true;
	case 3: *val = xen_pfn_to_cr3(mfn_x(v->arch.guest_table)); return true;
	case 4: *val = guest_cr4(); return true;
	default: return false;
	}
}

static bool write_cr(struct vcpu *v, unsigned int cr, uint64_t val)
{
	switch (cr) {
	case 0:
		if ((val ^ guest_cr0(v)) & ~X86_CR0_TS)
			return false; /* only TS may change */
		pv_set_fpu_ts(v, val & X86_CR0_TS);
		return true;
	case 2:
		v->arch.virtual_cr2 = val;
		if (v->vcpu_info)
			v->vcpu_info->arch.cr2 = val;
		return true;
	case 3: return pv_new_guest_cr3(v, _mfn(xen_cr3_to_pfn(val))) == 0;
	case 4: return val == guest_cr4();
	default: return false;
	}
}

static bool read_msr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
	switch (msr) {
	case MSR_FS_BASE: *val = rdmsr(MSR_FS_BASE); return true;
	case MSR_GS_BASE: *val = v->arch.gs_base_kernel; return true;
	case MSR_SHADOW_GS_BASE: *val = v->arch.gs_base_user; return true;
	case MSR_EFER:
		*val = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE;
		return true;
	case 0x10: *val = rdtsc(); return true;	      /* TSC */
	case 0x277: *val = rdmsr(0x277); return true; /* PAT */
	default: return false;
	}
}

static bool write_msr(struct vcpu *v, uint32_t msr, uint64_t val)
{
	switch (msr) {
	case MSR_FS_BASE: return do_set_segment_base(SEGBASE_FS, val) == 0;
	case MSR_GS_BASE:
		return do_set_segment_base(SEGBASE_GS_KERNEL, val) == 0;
	case MSR_SHADOW_GS_BASE:
		return do_set_segment_base(SEGBASE_GS_USER, val) == 0;
	case MSR_EFER: /* may be written, not changed */
		return val == (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE);
	default: return false;
	}
}

static bool emulate_0f(struct vcpu *v, struct cpu_user_regs *regs,
		       struct insn *in)
{
	int op = next_byte(in), modrm;
	uint64_t val;

	switch (op) {
	case 0x06: /* clts */ pv_set_fpu_ts(v, false); return true;
	case 0x09: /* wbinvd */
		if (v->domain->arch.iomem_allowed)
			__asm__ __volatile__("wbinvd" ::: "memory");
		return true;
	case 0x20: /* mov %crN, reg */
	case 0x22: /* mov reg, %crN */
		modrm = next_byte(in);
		if (modrm < 0 || (modrm >> 6) != 3)
			return false;
		if (op == 0x20) {
			if (!read_cr(v,
				     ((modrm >> 3) & 7) + (in->rex_r ? 8 : 0),
				     &val))
				return false;
			*gpr(regs, (modrm & 7) + (in->rex_b ? 8 : 0)) = val;
			return true;
		}
		return write_cr(v, ((modrm >> 3) & 7) + (in->rex_r ? 8 : 0),
				*gpr(regs, (modrm & 7) + (in->rex_b ? 8 : 0)));
	case 0x30: /* wrmsr */
		return write_msr(v, (uint32_t)regs->rcx,
				 (regs->rdx << 32) | (uint32_t)regs->rax);
	case 0x32: /* rdmsr */
		if (!read_msr(v, (uint32_t)regs->rcx, &val))
			return false;
		regs->rax = (uint32_t)val;
		regs->rdx = val >> 32;
		return true;
	default: return false;
	}
}

/* Emulate the instruction at regs->rip if a PV guest may; true if done. */
bool pv_emulate_privileged_op(struct cpu_user_regs *regs)
{
	struct vcpu *v = current;
	struct insn in = {0};
	int op;
	bool done;

	if (fetch(&in, regs->rip))
		return false;
	for (;;) { /* prefixes */
		op = next_byte(&in);
		if (op == 0x66)
			in.opsize16 = true;
		else if (op == 0x2e || op == 0x36 || op == 0x3e || op == 0x26 ||
			 op == 0x64 || op == 0x65 || op == 0xf2 || op == 0xf3 ||
			 op == 0x67)
			continue;
		else
			break;
	}
	if (op >= 0x40 && op <= 0x4f) { /* REX */
		in.rex_w = op & 8;
		in.rex_r = op & 4;
		in.rex_b = op & 1;
		op = next_byte(&in);
	}

	switch (op) {
	case 0xe4:
	case 0xe5:
	case 0xe6:
	case 0xe7:
	case 0xec:
	case 0xed:
	case 0xee:
	case 0xef: done = emulate_io(v, regs, &in, op); break;
	case 0x0f:
		if (!guest_kernel_mode(v))
			return false;
		done = emulate_0f(v, regs, &in);
		break;
	default: return false;
	}
	if (done)
		regs->rip += in.pos;
	return done;
}

/* #UD: CPUID behind Xen's forced-emulation prefix "ud2; 'xen'; cpuid". */
bool pv_emulate_forced_cpuid(struct cpu_user_regs *regs)
{
	static const uint8_t sig[] = {0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2};
	uint8_t insn[sizeof(sig)];
	struct cpuid_regs r;

	if (copy_from_guest_raw(insn, (void *)regs->rip, sizeof(insn)) ||
	    memcmp(insn, sig, sizeof(sig)))
		return false;
	r = pv_guest_cpuid((uint32_t)regs->rax, (uint32_t)regs->rcx);
	regs->rax = r.eax;
	regs->rbx = r.ebx;
	regs->rcx = r.ecx;
	regs->rdx = r.edx;
	regs->rip += sizeof(sig);
	return true;
}

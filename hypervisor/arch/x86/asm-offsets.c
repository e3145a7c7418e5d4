/*
 * Structure offsets and sizes for assembly. The build compiles this file
 * to assembly and turns each "->NAME value" marker into a #define in
 * asm-offsets.h.
 */
#include <stddef.h>

#include <asm/stack.h>

#define DEFINE(sym, val) __asm__ __volatile__("\n->" #sym " %0" ::"i"(val))
#define OFFSET(sym, str, mem) DEFINE(sym, offsetof(struct str, mem))

void asm_offsets(void);

void asm_offsets(void)
{
	DEFINE(CPU_INFO_SIZE, sizeof(struct cpu_info));
	OFFSET(CPU_INFO_guest_regs, cpu_info, guest_regs);
	DEFINE(UREGS_SIZE, sizeof(struct cpu_user_regs));
	OFFSET(UREGS_r15, cpu_user_regs, r15);
	OFFSET(UREGS_rax, cpu_user_regs, rax);
	OFFSET(UREGS_rdi, cpu_user_regs, rdi);
	OFFSET(UREGS_error_code, cpu_user_regs, error_code);
	OFFSET(UREGS_entry_vector, cpu_user_regs, entry_vector);
	OFFSET(UREGS_rip, cpu_user_regs, rip);
	OFFSET(UREGS_cs, cpu_user_regs, cs);
	OFFSET(UREGS_rflags, cpu_user_regs, rflags);
	OFFSET(UREGS_rsp, cpu_user_regs, rsp);
	OFFSET(UREGS_ss, cpu_user_regs, ss);
	OFFSET(UREGS_es, cpu_user_regs, es);
}

# make bench: the hypervisor micro-benchmarks, on Paravane and on Xen 4.17
# in the same run (tools/bench/run.py). Not a test: figures vary with the
# machine; the table and build/bench/hypervisor.json are the result.

BENCH_BUILD := $(BUILD)/bench
HVBENCH_ELF := $(BENCH_BUILD)/hvbench.elf

HVBENCH_OBJS := $(PVG_OBJ)/tools/bench/hvbench.c.o \
	$(PVG_OBJ)/tools/bench/bench_events.c.o \
	$(PVG_OBJ)/tools/bench/report.c.o

$(HVBENCH_ELF): $(HVBENCH_OBJS) $(PVG_LINK_DEPS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(call pvguest_link,$(HVBENCH_OBJS))

# The minimal domUs: head.S, one C file and their own linker script.
BENCH_GUESTS := exit yield
BENCH_GUEST_ELFS := $(BENCH_GUESTS:%=$(BENCH_BUILD)/guests/%.elf)
BENCH_GUEST_LDS := tools/bench/guests/minimal.ld
BENCH_GUEST_HEAD := $(PVG_OBJ)/tools/bench/guests/head.S.o

$(BENCH_BUILD)/guests/%.elf: $(PVG_OBJ)/tools/bench/guests/%.c.o \
		$(BENCH_GUEST_HEAD) $(BENCH_GUEST_LDS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(LD) -nostdlib -static --no-dynamic-linker -z max-page-size=4096 \
		-z noexecstack --no-warn-rwx-segments --strip-debug \
		-T $(BENCH_GUEST_LDS) -o $@ $(BENCH_GUEST_HEAD) $<

.SECONDARY: $(HVBENCH_OBJS) $(BENCH_GUEST_HEAD) \
	$(BENCH_GUESTS:%=$(PVG_OBJ)/tools/bench/guests/%.c.o)

all: $(BENCH_GUEST_ELFS)

.PHONY: bench
bench: deps
	@$(MAKE) --no-print-directory $(HV_ELF) $(HVBENCH_ELF)
	@python3 tools/bench/run.py --build $(BUILD)

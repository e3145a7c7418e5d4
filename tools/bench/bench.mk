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

.SECONDARY: $(HVBENCH_OBJS)

.PHONY: bench
bench: deps
	@$(MAKE) --no-print-directory $(HV_ELF) $(HVBENCH_ELF)
	@python3 tools/bench/run.py --build $(BUILD)

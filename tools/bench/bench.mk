# make bench: the hypervisor micro-benchmarks, on Paravane and on Xen 4.17
# in the same run (tools/bench/run.py). Not a test: figures vary with the
# machine; the table and build/bench/hypervisor.json are the result.
#
#   $(HVBENCH_ELF)       hvbench.c: a dom0 kernel that times the
#                        hypervisor from inside one domain
#   $(DOMBENCH_ELF)      dombench*.c: a dom0 kernel, linked with the
#                        toolstack's control library, that builds domUs
#                        and times what happens between domains
#   $(DOMBENCH_RAMDISK)  its module: /boot/pingpong.elf (the demo domU),
#                        /boot/exit.elf and /boot/yield.elf (the minimal
#                        domUs of tools/bench/guests) and /boot/xsload.elf
#                        (a pvguest domU that loads xenstored)
#
# "make" builds them all; "make bench" runs them, then xenstored's host
# benchmark (tools/bench/xsbench.c, built by tools/xenstore/xenstore.mk),
# whose figures go to build/bench/xenstore.json.

BENCH_BUILD := $(BUILD)/bench
HVBENCH_ELF := $(BENCH_BUILD)/hvbench.elf
DOMBENCH_ELF := $(BENCH_BUILD)/dombench.elf
DOMBENCH_RAMDISK := $(BENCH_BUILD)/dombench.cpio

BENCH_REPORT_OBJ := $(PVG_OBJ)/tools/bench/report.c.o

HVBENCH_OBJS := $(PVG_OBJ)/tools/bench/hvbench.c.o \
	$(PVG_OBJ)/tools/bench/bench_events.c.o \
	$(PVG_OBJ)/tools/bench/bench_grant.c.o $(BENCH_REPORT_OBJ)

$(HVBENCH_ELF): $(HVBENCH_OBJS) $(PVG_LINK_DEPS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(call pvguest_link,$(HVBENCH_OBJS))

DOMBENCH_OWN_OBJS := $(patsubst %,$(PVG_OBJ)/%.o,\
	$(wildcard tools/bench/dombench*.c))
DOMBENCH_OBJS := $(DOMBENCH_OWN_OBJS) $(BENCH_REPORT_OBJ)
$(DOMBENCH_OWN_OBJS): PVG_CFLAGS += $(TOOLS_CFLAGS)

# dombench runs dom0's xenstored (its core and dom0 side) for its
# xenstore figures.
DOMBENCH_XENSTORE_OBJS := $(filter $(PVG_OBJ)/tools/xenstore/%,\
	$(DOM0_SERVICE_OBJS))

$(DOMBENCH_ELF): $(DOMBENCH_OBJS) $(CTRL_OBJS) $(DOMBENCH_XENSTORE_OBJS) \
		$(PVG_LINK_DEPS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(call pvguest_link,$(DOMBENCH_OBJS) $(CTRL_OBJS) \
		$(DOMBENCH_XENSTORE_OBJS))

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

# The domUs that need pvguest (its xenbus client): linked with it.
BENCH_PVG_GUESTS := xsload
BENCH_PVG_GUEST_ELFS := $(BENCH_PVG_GUESTS:%=$(BENCH_BUILD)/guests/%.elf)

$(BENCH_PVG_GUEST_ELFS): $(BENCH_BUILD)/guests/%.elf: \
		$(PVG_OBJ)/tools/bench/guests/%.c.o $(PVG_LINK_DEPS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(call pvguest_link,$<)
	$(Q)$(OBJCOPY) --strip-debug $@

$(DOMBENCH_RAMDISK): $(BENCH_GUEST_ELFS) $(BENCH_PVG_GUEST_ELFS) \
		$(BUILD)/stripped/pingpong.elf tools/mkramdisk.py
	@mkdir -p $(dir $@)
	@echo "  CPIO    $@"
	$(Q)tools/mkramdisk.py $@ \
		/boot/pingpong.elf=$(BUILD)/stripped/pingpong.elf \
		$(foreach g,$(BENCH_GUESTS) $(BENCH_PVG_GUESTS),\
			/boot/$(g).elf=$(BENCH_BUILD)/guests/$(g).elf)

.SECONDARY: $(HVBENCH_OBJS) $(DOMBENCH_OBJS) $(BENCH_GUEST_HEAD) \
	$(BENCH_GUESTS:%=$(PVG_OBJ)/tools/bench/guests/%.c.o) \
	$(BENCH_PVG_GUESTS:%=$(PVG_OBJ)/tools/bench/guests/%.c.o)

.PHONY: bench-kernels bench
bench-kernels: $(HVBENCH_ELF) $(DOMBENCH_ELF) $(DOMBENCH_RAMDISK)
all: bench-kernels

bench: deps
	@$(MAKE) --no-print-directory $(HV_ELF) bench-kernels $(XSD_HOST) \
		$(XSBENCH)
	@python3 tools/bench/run.py --build $(BUILD)
	@$(XSBENCH) --daemon $(XSD_HOST) --json $(BENCH_BUILD)/xenstore.json

/*
 * startup_cortex_m4.c - reset and fault handling of edgernn's bare-metal Cortex-M4 firmware.
 *
 * Part of edgernn (src/edgernn/targets/firmware); compiled into every firmware build.
 *
 * Reset_Handler enables the FPU (CPACR CP10/CP11 full access), copies the initialised-data
 * images from flash to RAM (.data, and .ram_weights when the weights are placed in SRAM),
 * zeroes .bss and calls main(). It does not touch .edgernn_io (NOLOAD), so inputs written
 * there before reset survive. There is no clock set-up: the simulator (and a debugger-driven
 * board run) needs none, and the board profile states the clock the timing figures assume.
 *
 * Every fault vector has its own named handler ending in a distinct bkpt, so a simulator or
 * debugger can tell a fault from the harness's normal end (bkpt #0):
 *   HardFault_Handler 0xFE, MemManage_Handler 0xFD, BusFault_Handler 0xFC,
 *   UsageFault_Handler 0xFB, Default_Handler 0xFF (any other exception, or main returning).
 */
#include <stdint.h>

/* Symbols defined by the linker script (firmware.ld). */
extern uint32_t _estack;
extern uint32_t _sidata;
extern uint32_t _sdata;
extern uint32_t _edata;
extern uint32_t _siram_weights;
extern uint32_t _sram_weights;
extern uint32_t _eram_weights;
extern uint32_t _sbss;
extern uint32_t _ebss;

extern int main(void);

void Reset_Handler(void);
void NMI_Handler(void);
void HardFault_Handler(void);
void MemManage_Handler(void);
void BusFault_Handler(void);
void UsageFault_Handler(void);
void Default_Handler(void);

/* Coprocessor Access Control Register (System Control Block). */
#define CPACR (*(volatile uint32_t *)0xE000ED88u)
#define CPACR_CP10_CP11_FULL (0xFu << 20)

typedef void (*handler_fn)(void);

/* Armv7-M vector table: initial SP, then the 15 system exception vectors. No external
 * interrupts are enabled by the firmware, so none are listed. */
typedef struct {
    uint32_t *initial_sp;
    handler_fn handlers[15];
} vector_table_t;

__attribute__((section(".isr_vector"), used))
const vector_table_t isr_vector_table = {
    &_estack,
    {
        Reset_Handler,      /* Reset */
        NMI_Handler,        /* NMI */
        HardFault_Handler,  /* HardFault */
        MemManage_Handler,  /* MemManage */
        BusFault_Handler,   /* BusFault */
        UsageFault_Handler, /* UsageFault */
        0, 0, 0, 0,         /* reserved */
        Default_Handler,    /* SVCall */
        Default_Handler,    /* DebugMonitor */
        0,                  /* reserved */
        Default_Handler,    /* PendSV */
        Default_Handler     /* SysTick */
    }
};

static void copy_words(uint32_t *dst, const uint32_t *src, const uint32_t *end)
{
    while (dst < end) {
        *dst++ = *src++;
    }
}

void Reset_Handler(void)
{
    uint32_t *p;
    CPACR |= CPACR_CP10_CP11_FULL;
    __asm__ volatile ("dsb\n\tisb" ::: "memory");
    copy_words(&_sdata, &_sidata, &_edata);
    copy_words(&_sram_weights, &_siram_weights, &_eram_weights);
    for (p = &_sbss; p < &_ebss; ++p) {
        *p = 0u;
    }
    (void)main();
    Default_Handler();
}

void NMI_Handler(void)
{
    for (;;) {
        __asm__ volatile ("bkpt #0xFF");
    }
}

void HardFault_Handler(void)
{
    for (;;) {
        __asm__ volatile ("bkpt #0xFE");
    }
}

void MemManage_Handler(void)
{
    for (;;) {
        __asm__ volatile ("bkpt #0xFD");
    }
}

void BusFault_Handler(void)
{
    for (;;) {
        __asm__ volatile ("bkpt #0xFC");
    }
}

void UsageFault_Handler(void)
{
    for (;;) {
        __asm__ volatile ("bkpt #0xFB");
    }
}

void Default_Handler(void)
{
    for (;;) {
        __asm__ volatile ("bkpt #0xFF");
    }
}

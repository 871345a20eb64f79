/* Minimal Cortex-M4 startup of the simulator's test firmware: vector table, FPU enable,
   .data copy, .bss zeroing, call main, then `bkpt #0` (the simulator's exit marker). */
    .syntax unified
    .cpu cortex-m4
    .fpu fpv4-sp-d16
    .thumb

    .section .vectors, "a"
    .word _estack
    .word Reset_Handler
    .word NMI_Handler
    .word HardFault_Handler
    .word MemManage_Handler
    .word BusFault_Handler
    .word UsageFault_Handler

    .text
    .global Reset_Handler
    .type Reset_Handler, %function
    .thumb_func
Reset_Handler:
    ldr r0, =0xE000ED88         /* CPACR: full access to CP10/CP11 (the FPU) */
    ldr r1, [r0]
    orr r1, r1, #(0xF << 20)
    str r1, [r0]
    dsb
    isb
    ldr r0, =_sdata
    ldr r1, =_edata
    ldr r2, =_sidata
1:  cmp r0, r1
    bhs 2f
    ldr r3, [r2], #4
    str r3, [r0], #4
    b 1b
2:  ldr r0, =_sbss
    ldr r1, =_ebss
    movs r2, #0
3:  cmp r0, r1
    bhs 4f
    str r2, [r0], #4
    b 3b
4:  bl main
    bkpt #0
    .size Reset_Handler, .-Reset_Handler

    .weak NMI_Handler, MemManage_Handler, BusFault_Handler, UsageFault_Handler
    .thumb_set NMI_Handler, Default_Handler
    .thumb_set MemManage_Handler, Default_Handler
    .thumb_set BusFault_Handler, Default_Handler
    .thumb_set UsageFault_Handler, Default_Handler

    .global HardFault_Handler
    .type HardFault_Handler, %function
    .thumb_func
HardFault_Handler:
    b .
    .size HardFault_Handler, .-HardFault_Handler

    .global Default_Handler
    .type Default_Handler, %function
    .thumb_func
Default_Handler:
    b .
    .size Default_Handler, .-Default_Handler

#include "textflag.h"

// func Call(a int64, s *byte) int64
TEXT ·Call(SB), NOSPLIT, $0-24
	MOVQ a+0(FP), DI
	MOVQ s+8(FP), SI
	CALL ·Target(SB)
	MOVQ AX, ret+16(FP)
	RET

// Target(a in DI, s in SI) returns a+1 in AX, like a C function.
TEXT ·Target(SB), NOSPLIT, $0-0
	MOVQ DI, AX
	ADDQ $1, AX
	RET

// func TargetAddr() uintptr
TEXT ·TargetAddr(SB), NOSPLIT, $0-8
	LEAQ ·Target(SB), AX
	MOVQ AX, ret+0(FP)
	RET

package dex

// Instruction kinds, by what Walk records for them.
const (
	kindPlain        = iota // no constant-pool reference recorded
	kindNop                 // nop, or the identifier of a payload pseudo-instruction
	kindUnused              // unused opcode, rejected by Android's verifier
	kindInvoke              // invoke-kind, invoke-kind/range: method@BBBB
	kindInvokePoly          // invoke-polymorphic(/range): method@BBBB, proto@HHHH
	kindInvokeCustom        // invoke-custom(/range): call_site@BBBB
	kindString              // const-string: string@BBBB
	kindStringJumbo         // const-string/jumbo: string@BBBBBBBB
	kindType                // const-class, check-cast, instance-of, new-instance, new-array, filled-new-array(/range)
	kindSget                // sget*: field@BBBB
	kindSput                // sput*: field@BBBB
	kindIget                // iget*: field@CCCC
	kindIput                // iput*: field@CCCC
	kindMethodHandle        // const-method-handle: method_handle@BBBB
	kindMethodType          // const-method-type: proto@BBBB
)

// Payload pseudo-instruction identifiers (a nop opcode with a non-zero high
// byte).
const (
	packedSwitchPayload  = 0x0100
	sparseSwitchPayload  = 0x0200
	fillArrayDataPayload = 0x0300
)

// OpName returns the mnemonic of an opcode as Android's dexdump prints it,
// "unused-XX" for unused opcodes.
func OpName(op uint8) string { return opNames[op] }

// OpSize returns the size in 16-bit code units of an instruction with this
// opcode, from its format (payload pseudo-instructions excepted).
func OpSize(op uint8) int { return int(opInfo[op] & 7) }

// opInfo packs each opcode's size in code units (low three bits) and its kind
// (the bits above), from the format column of the Dalvik bytecode tables.
var opInfo = [256]uint8{
	0x00: 1 | kindNop<<3,          // nop 10x
	0x01: 1 | kindPlain<<3,        // move 12x
	0x02: 2 | kindPlain<<3,        // move/from16 22x
	0x03: 3 | kindPlain<<3,        // move/16 32x
	0x04: 1 | kindPlain<<3,        // move-wide 12x
	0x05: 2 | kindPlain<<3,        // move-wide/from16 22x
	0x06: 3 | kindPlain<<3,        // move-wide/16 32x
	0x07: 1 | kindPlain<<3,        // move-object 12x
	0x08: 2 | kindPlain<<3,        // move-object/from16 22x
	0x09: 3 | kindPlain<<3,        // move-object/16 32x
	0x0a: 1 | kindPlain<<3,        // move-result 11x
	0x0b: 1 | kindPlain<<3,        // move-result-wide 11x
	0x0c: 1 | kindPlain<<3,        // move-result-object 11x
	0x0d: 1 | kindPlain<<3,        // move-exception 11x
	0x0e: 1 | kindPlain<<3,        // return-void 10x
	0x0f: 1 | kindPlain<<3,        // return 11x
	0x10: 1 | kindPlain<<3,        // return-wide 11x
	0x11: 1 | kindPlain<<3,        // return-object 11x
	0x12: 1 | kindPlain<<3,        // const/4 11n
	0x13: 2 | kindPlain<<3,        // const/16 21s
	0x14: 3 | kindPlain<<3,        // const 31i
	0x15: 2 | kindPlain<<3,        // const/high16 21h
	0x16: 2 | kindPlain<<3,        // const-wide/16 21s
	0x17: 3 | kindPlain<<3,        // const-wide/32 31i
	0x18: 5 | kindPlain<<3,        // const-wide 51l
	0x19: 2 | kindPlain<<3,        // const-wide/high16 21h
	0x1a: 2 | kindString<<3,       // const-string 21c
	0x1b: 3 | kindStringJumbo<<3,  // const-string/jumbo 31c
	0x1c: 2 | kindType<<3,         // const-class 21c
	0x1d: 1 | kindPlain<<3,        // monitor-enter 11x
	0x1e: 1 | kindPlain<<3,        // monitor-exit 11x
	0x1f: 2 | kindType<<3,         // check-cast 21c
	0x20: 2 | kindType<<3,         // instance-of 22c
	0x21: 1 | kindPlain<<3,        // array-length 12x
	0x22: 2 | kindType<<3,         // new-instance 21c
	0x23: 2 | kindType<<3,         // new-array 22c
	0x24: 3 | kindType<<3,         // filled-new-array 35c
	0x25: 3 | kindType<<3,         // filled-new-array/range 3rc
	0x26: 3 | kindPlain<<3,        // fill-array-data 31t
	0x27: 1 | kindPlain<<3,        // throw 11x
	0x28: 1 | kindPlain<<3,        // goto 10t
	0x29: 2 | kindPlain<<3,        // goto/16 20t
	0x2a: 3 | kindPlain<<3,        // goto/32 30t
	0x2b: 3 | kindPlain<<3,        // packed-switch 31t
	0x2c: 3 | kindPlain<<3,        // sparse-switch 31t
	0x2d: 2 | kindPlain<<3,        // cmpl-float 23x
	0x2e: 2 | kindPlain<<3,        // cmpg-float 23x
	0x2f: 2 | kindPlain<<3,        // cmpl-double 23x
	0x30: 2 | kindPlain<<3,        // cmpg-double 23x
	0x31: 2 | kindPlain<<3,        // cmp-long 23x
	0x32: 2 | kindPlain<<3,        // if-eq 22t
	0x33: 2 | kindPlain<<3,        // if-ne 22t
	0x34: 2 | kindPlain<<3,        // if-lt 22t
	0x35: 2 | kindPlain<<3,        // if-ge 22t
	0x36: 2 | kindPlain<<3,        // if-gt 22t
	0x37: 2 | kindPlain<<3,        // if-le 22t
	0x38: 2 | kindPlain<<3,        // if-eqz 21t
	0x39: 2 | kindPlain<<3,        // if-nez 21t
	0x3a: 2 | kindPlain<<3,        // if-ltz 21t
	0x3b: 2 | kindPlain<<3,        // if-gez 21t
	0x3c: 2 | kindPlain<<3,        // if-gtz 21t
	0x3d: 2 | kindPlain<<3,        // if-lez 21t
	0x3e: 1 | kindUnused<<3,       // unused-3e 10x
	0x3f: 1 | kindUnused<<3,       // unused-3f 10x
	0x40: 1 | kindUnused<<3,       // unused-40 10x
	0x41: 1 | kindUnused<<3,       // unused-41 10x
	0x42: 1 | kindUnused<<3,       // unused-42 10x
	0x43: 1 | kindUnused<<3,       // unused-43 10x
	0x44: 2 | kindPlain<<3,        // aget 23x
	0x45: 2 | kindPlain<<3,        // aget-wide 23x
	0x46: 2 | kindPlain<<3,        // aget-object 23x
	0x47: 2 | kindPlain<<3,        // aget-boolean 23x
	0x48: 2 | kindPlain<<3,        // aget-byte 23x
	0x49: 2 | kindPlain<<3,        // aget-char 23x
	0x4a: 2 | kindPlain<<3,        // aget-short 23x
	0x4b: 2 | kindPlain<<3,        // aput 23x
	0x4c: 2 | kindPlain<<3,        // aput-wide 23x
	0x4d: 2 | kindPlain<<3,        // aput-object 23x
	0x4e: 2 | kindPlain<<3,        // aput-boolean 23x
	0x4f: 2 | kindPlain<<3,        // aput-byte 23x
	0x50: 2 | kindPlain<<3,        // aput-char 23x
	0x51: 2 | kindPlain<<3,        // aput-short 23x
	0x52: 2 | kindIget<<3,         // iget 22c
	0x53: 2 | kindIget<<3,         // iget-wide 22c
	0x54: 2 | kindIget<<3,         // iget-object 22c
	0x55: 2 | kindIget<<3,         // iget-boolean 22c
	0x56: 2 | kindIget<<3,         // iget-byte 22c
	0x57: 2 | kindIget<<3,         // iget-char 22c
	0x58: 2 | kindIget<<3,         // iget-short 22c
	0x59: 2 | kindIput<<3,         // iput 22c
	0x5a: 2 | kindIput<<3,         // iput-wide 22c
	0x5b: 2 | kindIput<<3,         // iput-object 22c
	0x5c: 2 | kindIput<<3,         // iput-boolean 22c
	0x5d: 2 | kindIput<<3,         // iput-byte 22c
	0x5e: 2 | kindIput<<3,         // iput-char 22c
	0x5f: 2 | kindIput<<3,         // iput-short 22c
	0x60: 2 | kindSget<<3,         // sget 21c
	0x61: 2 | kindSget<<3,         // sget-wide 21c
	0x62: 2 | kindSget<<3,         // sget-object 21c
	0x63: 2 | kindSget<<3,         // sget-boolean 21c
	0x64: 2 | kindSget<<3,         // sget-byte 21c
	0x65: 2 | kindSget<<3,         // sget-char 21c
	0x66: 2 | kindSget<<3,         // sget-short 21c
	0x67: 2 | kindSput<<3,         // sput 21c
	0x68: 2 | kindSput<<3,         // sput-wide 21c
	0x69: 2 | kindSput<<3,         // sput-object 21c
	0x6a: 2 | kindSput<<3,         // sput-boolean 21c
	0x6b: 2 | kindSput<<3,         // sput-byte 21c
	0x6c: 2 | kindSput<<3,         // sput-char 21c
	0x6d: 2 | kindSput<<3,         // sput-short 21c
	0x6e: 3 | kindInvoke<<3,       // invoke-virtual 35c
	0x6f: 3 | kindInvoke<<3,       // invoke-super 35c
	0x70: 3 | kindInvoke<<3,       // invoke-direct 35c
	0x71: 3 | kindInvoke<<3,       // invoke-static 35c
	0x72: 3 | kindInvoke<<3,       // invoke-interface 35c
	0x73: 1 | kindUnused<<3,       // unused-73 10x
	0x74: 3 | kindInvoke<<3,       // invoke-virtual/range 3rc
	0x75: 3 | kindInvoke<<3,       // invoke-super/range 3rc
	0x76: 3 | kindInvoke<<3,       // invoke-direct/range 3rc
	0x77: 3 | kindInvoke<<3,       // invoke-static/range 3rc
	0x78: 3 | kindInvoke<<3,       // invoke-interface/range 3rc
	0x79: 1 | kindUnused<<3,       // unused-79 10x
	0x7a: 1 | kindUnused<<3,       // unused-7a 10x
	0x7b: 1 | kindPlain<<3,        // neg-int 12x
	0x7c: 1 | kindPlain<<3,        // not-int 12x
	0x7d: 1 | kindPlain<<3,        // neg-long 12x
	0x7e: 1 | kindPlain<<3,        // not-long 12x
	0x7f: 1 | kindPlain<<3,        // neg-float 12x
	0x80: 1 | kindPlain<<3,        // neg-double 12x
	0x81: 1 | kindPlain<<3,        // int-to-long 12x
	0x82: 1 | kindPlain<<3,        // int-to-float 12x
	0x83: 1 | kindPlain<<3,        // int-to-double 12x
	0x84: 1 | kindPlain<<3,        // long-to-int 12x
	0x85: 1 | kindPlain<<3,        // long-to-float 12x
	0x86: 1 | kindPlain<<3,        // long-to-double 12x
	0x87: 1 | kindPlain<<3,        // float-to-int 12x
	0x88: 1 | kindPlain<<3,        // float-to-long 12x
	0x89: 1 | kindPlain<<3,        // float-to-double 12x
	0x8a: 1 | kindPlain<<3,        // double-to-int 12x
	0x8b: 1 | kindPlain<<3,        // double-to-long 12x
	0x8c: 1 | kindPlain<<3,        // double-to-float 12x
	0x8d: 1 | kindPlain<<3,        // int-to-byte 12x
	0x8e: 1 | kindPlain<<3,        // int-to-char 12x
	0x8f: 1 | kindPlain<<3,        // int-to-short 12x
	0x90: 2 | kindPlain<<3,        // add-int 23x
	0x91: 2 | kindPlain<<3,        // sub-int 23x
	0x92: 2 | kindPlain<<3,        // mul-int 23x
	0x93: 2 | kindPlain<<3,        // div-int 23x
	0x94: 2 | kindPlain<<3,        // rem-int 23x
	0x95: 2 | kindPlain<<3,        // and-int 23x
	0x96: 2 | kindPlain<<3,        // or-int 23x
	0x97: 2 | kindPlain<<3,        // xor-int 23x
	0x98: 2 | kindPlain<<3,        // shl-int 23x
	0x99: 2 | kindPlain<<3,        // shr-int 23x
	0x9a: 2 | kindPlain<<3,        // ushr-int 23x
	0x9b: 2 | kindPlain<<3,        // add-long 23x
	0x9c: 2 | kindPlain<<3,        // sub-long 23x
	0x9d: 2 | kindPlain<<3,        // mul-long 23x
	0x9e: 2 | kindPlain<<3,        // div-long 23x
	0x9f: 2 | kindPlain<<3,        // rem-long 23x
	0xa0: 2 | kindPlain<<3,        // and-long 23x
	0xa1: 2 | kindPlain<<3,        // or-long 23x
	0xa2: 2 | kindPlain<<3,        // xor-long 23x
	0xa3: 2 | kindPlain<<3,        // shl-long 23x
	0xa4: 2 | kindPlain<<3,        // shr-long 23x
	0xa5: 2 | kindPlain<<3,        // ushr-long 23x
	0xa6: 2 | kindPlain<<3,        // add-float 23x
	0xa7: 2 | kindPlain<<3,        // sub-float 23x
	0xa8: 2 | kindPlain<<3,        // mul-float 23x
	0xa9: 2 | kindPlain<<3,        // div-float 23x
	0xaa: 2 | kindPlain<<3,        // rem-float 23x
	0xab: 2 | kindPlain<<3,        // add-double 23x
	0xac: 2 | kindPlain<<3,        // sub-double 23x
	0xad: 2 | kindPlain<<3,        // mul-double 23x
	0xae: 2 | kindPlain<<3,        // div-double 23x
	0xaf: 2 | kindPlain<<3,        // rem-double 23x
	0xb0: 1 | kindPlain<<3,        // add-int/2addr 12x
	0xb1: 1 | kindPlain<<3,        // sub-int/2addr 12x
	0xb2: 1 | kindPlain<<3,        // mul-int/2addr 12x
	0xb3: 1 | kindPlain<<3,        // div-int/2addr 12x
	0xb4: 1 | kindPlain<<3,        // rem-int/2addr 12x
	0xb5: 1 | kindPlain<<3,        // and-int/2addr 12x
	0xb6: 1 | kindPlain<<3,        // or-int/2addr 12x
	0xb7: 1 | kindPlain<<3,        // xor-int/2addr 12x
	0xb8: 1 | kindPlain<<3,        // shl-int/2addr 12x
	0xb9: 1 | kindPlain<<3,        // shr-int/2addr 12x
	0xba: 1 | kindPlain<<3,        // ushr-int/2addr 12x
	0xbb: 1 | kindPlain<<3,        // add-long/2addr 12x
	0xbc: 1 | kindPlain<<3,        // sub-long/2addr 12x
	0xbd: 1 | kindPlain<<3,        // mul-long/2addr 12x
	0xbe: 1 | kindPlain<<3,        // div-long/2addr 12x
	0xbf: 1 | kindPlain<<3,        // rem-long/2addr 12x
	0xc0: 1 | kindPlain<<3,        // and-long/2addr 12x
	0xc1: 1 | kindPlain<<3,        // or-long/2addr 12x
	0xc2: 1 | kindPlain<<3,        // xor-long/2addr 12x
	0xc3: 1 | kindPlain<<3,        // shl-long/2addr 12x
	0xc4: 1 | kindPlain<<3,        // shr-long/2addr 12x
	0xc5: 1 | kindPlain<<3,        // ushr-long/2addr 12x
	0xc6: 1 | kindPlain<<3,        // add-float/2addr 12x
	0xc7: 1 | kindPlain<<3,        // sub-float/2addr 12x
	0xc8: 1 | kindPlain<<3,        // mul-float/2addr 12x
	0xc9: 1 | kindPlain<<3,        // div-float/2addr 12x
	0xca: 1 | kindPlain<<3,        // rem-float/2addr 12x
	0xcb: 1 | kindPlain<<3,        // add-double/2addr 12x
	0xcc: 1 | kindPlain<<3,        // sub-double/2addr 12x
	0xcd: 1 | kindPlain<<3,        // mul-double/2addr 12x
	0xce: 1 | kindPlain<<3,        // div-double/2addr 12x
	0xcf: 1 | kindPlain<<3,        // rem-double/2addr 12x
	0xd0: 2 | kindPlain<<3,        // add-int/lit16 22s
	0xd1: 2 | kindPlain<<3,        // rsub-int 22s
	0xd2: 2 | kindPlain<<3,        // mul-int/lit16 22s
	0xd3: 2 | kindPlain<<3,        // div-int/lit16 22s
	0xd4: 2 | kindPlain<<3,        // rem-int/lit16 22s
	0xd5: 2 | kindPlain<<3,        // and-int/lit16 22s
	0xd6: 2 | kindPlain<<3,        // or-int/lit16 22s
	0xd7: 2 | kindPlain<<3,        // xor-int/lit16 22s
	0xd8: 2 | kindPlain<<3,        // add-int/lit8 22b
	0xd9: 2 | kindPlain<<3,        // rsub-int/lit8 22b
	0xda: 2 | kindPlain<<3,        // mul-int/lit8 22b
	0xdb: 2 | kindPlain<<3,        // div-int/lit8 22b
	0xdc: 2 | kindPlain<<3,        // rem-int/lit8 22b
	0xdd: 2 | kindPlain<<3,        // and-int/lit8 22b
	0xde: 2 | kindPlain<<3,        // or-int/lit8 22b
	0xdf: 2 | kindPlain<<3,        // xor-int/lit8 22b
	0xe0: 2 | kindPlain<<3,        // shl-int/lit8 22b
	0xe1: 2 | kindPlain<<3,        // shr-int/lit8 22b
	0xe2: 2 | kindPlain<<3,        // ushr-int/lit8 22b
	0xe3: 1 | kindUnused<<3,       // unused-e3 10x
	0xe4: 1 | kindUnused<<3,       // unused-e4 10x
	0xe5: 1 | kindUnused<<3,       // unused-e5 10x
	0xe6: 1 | kindUnused<<3,       // unused-e6 10x
	0xe7: 1 | kindUnused<<3,       // unused-e7 10x
	0xe8: 1 | kindUnused<<3,       // unused-e8 10x
	0xe9: 1 | kindUnused<<3,       // unused-e9 10x
	0xea: 1 | kindUnused<<3,       // unused-ea 10x
	0xeb: 1 | kindUnused<<3,       // unused-eb 10x
	0xec: 1 | kindUnused<<3,       // unused-ec 10x
	0xed: 1 | kindUnused<<3,       // unused-ed 10x
	0xee: 1 | kindUnused<<3,       // unused-ee 10x
	0xef: 1 | kindUnused<<3,       // unused-ef 10x
	0xf0: 1 | kindUnused<<3,       // unused-f0 10x
	0xf1: 1 | kindUnused<<3,       // unused-f1 10x
	0xf2: 1 | kindUnused<<3,       // unused-f2 10x
	0xf3: 1 | kindUnused<<3,       // unused-f3 10x
	0xf4: 1 | kindUnused<<3,       // unused-f4 10x
	0xf5: 1 | kindUnused<<3,       // unused-f5 10x
	0xf6: 1 | kindUnused<<3,       // unused-f6 10x
	0xf7: 1 | kindUnused<<3,       // unused-f7 10x
	0xf8: 1 | kindUnused<<3,       // unused-f8 10x
	0xf9: 1 | kindUnused<<3,       // unused-f9 10x
	0xfa: 4 | kindInvokePoly<<3,   // invoke-polymorphic 45cc
	0xfb: 4 | kindInvokePoly<<3,   // invoke-polymorphic/range 4rcc
	0xfc: 3 | kindInvokeCustom<<3, // invoke-custom 35c
	0xfd: 3 | kindInvokeCustom<<3, // invoke-custom/range 3rc
	0xfe: 2 | kindMethodHandle<<3, // const-method-handle 21c
	0xff: 2 | kindMethodType<<3,   // const-method-type 21c
}

var opNames = [256]string{
	0x00: "nop",
	0x01: "move",
	0x02: "move/from16",
	0x03: "move/16",
	0x04: "move-wide",
	0x05: "move-wide/from16",
	0x06: "move-wide/16",
	0x07: "move-object",
	0x08: "move-object/from16",
	0x09: "move-object/16",
	0x0a: "move-result",
	0x0b: "move-result-wide",
	0x0c: "move-result-object",
	0x0d: "move-exception",
	0x0e: "return-void",
	0x0f: "return",
	0x10: "return-wide",
	0x11: "return-object",
	0x12: "const/4",
	0x13: "const/16",
	0x14: "const",
	0x15: "const/high16",
	0x16: "const-wide/16",
	0x17: "const-wide/32",
	0x18: "const-wide",
	0x19: "const-wide/high16",
	0x1a: "const-string",
	0x1b: "const-string/jumbo",
	0x1c: "const-class",
	0x1d: "monitor-enter",
	0x1e: "monitor-exit",
	0x1f: "check-cast",
	0x20: "instance-of",
	0x21: "array-length",
	0x22: "new-instance",
	0x23: "new-array",
	0x24: "filled-new-array",
	0x25: "filled-new-array/range",
	0x26: "fill-array-data",
	0x27: "throw",
	0x28: "goto",
	0x29: "goto/16",
	0x2a: "goto/32",
	0x2b: "packed-switch",
	0x2c: "sparse-switch",
	0x2d: "cmpl-float",
	0x2e: "cmpg-float",
	0x2f: "cmpl-double",
	0x30: "cmpg-double",
	0x31: "cmp-long",
	0x32: "if-eq",
	0x33: "if-ne",
	0x34: "if-lt",
	0x35: "if-ge",
	0x36: "if-gt",
	0x37: "if-le",
	0x38: "if-eqz",
	0x39: "if-nez",
	0x3a: "if-ltz",
	0x3b: "if-gez",
	0x3c: "if-gtz",
	0x3d: "if-lez",
	0x3e: "unused-3e",
	0x3f: "unused-3f",
	0x40: "unused-40",
	0x41: "unused-41",
	0x42: "unused-42",
	0x43: "unused-43",
	0x44: "aget",
	0x45: "aget-wide",
	0x46: "aget-object",
	0x47: "aget-boolean",
	0x48: "aget-byte",
	0x49: "aget-char",
	0x4a: "aget-short",
	0x4b: "aput",
	0x4c: "aput-wide",
	0x4d: "aput-object",
	0x4e: "aput-boolean",
	0x4f: "aput-byte",
	0x50: "aput-char",
	0x51: "aput-short",
	0x52: "iget",
	0x53: "iget-wide",
	0x54: "iget-object",
	0x55: "iget-boolean",
	0x56: "iget-byte",
	0x57: "iget-char",
	0x58: "iget-short",
	0x59: "iput",
	0x5a: "iput-wide",
	0x5b: "iput-object",
	0x5c: "iput-boolean",
	0x5d: "iput-byte",
	0x5e: "iput-char",
	0x5f: "iput-short",
	0x60: "sget",
	0x61: "sget-wide",
	0x62: "sget-object",
	0x63: "sget-boolean",
	0x64: "sget-byte",
	0x65: "sget-char",
	0x66: "sget-short",
	0x67: "sput",
	0x68: "sput-wide",
	0x69: "sput-object",
	0x6a: "sput-boolean",
	0x6b: "sput-byte",
	0x6c: "sput-char",
	0x6d: "sput-short",
	0x6e: "invoke-virtual",
	0x6f: "invoke-super",
	0x70: "invoke-direct",
	0x71: "invoke-static",
	0x72: "invoke-interface",
	0x73: "unused-73",
	0x74: "invoke-virtual/range",
	0x75: "invoke-super/range",
	0x76: "invoke-direct/range",
	0x77: "invoke-static/range",
	0x78: "invoke-interface/range",
	0x79: "unused-79",
	0x7a: "unused-7a",
	0x7b: "neg-int",
	0x7c: "not-int",
	0x7d: "neg-long",
	0x7e: "not-long",
	0x7f: "neg-float",
	0x80: "neg-double",
	0x81: "int-to-long",
	0x82: "int-to-float",
	0x83: "int-to-double",
	0x84: "long-to-int",
	0x85: "long-to-float",
	0x86: "long-to-double",
	0x87: "float-to-int",
	0x88: "float-to-long",
	0x89: "float-to-double",
	0x8a: "double-to-int",
	0x8b: "double-to-long",
	0x8c: "double-to-float",
	0x8d: "int-to-byte",
	0x8e: "int-to-char",
	0x8f: "int-to-short",
	0x90: "add-int",
	0x91: "sub-int",
	0x92: "mul-int",
	0x93: "div-int",
	0x94: "rem-int",
	0x95: "and-int",
	0x96: "or-int",
	0x97: "xor-int",
	0x98: "shl-int",
	0x99: "shr-int",
	0x9a: "ushr-int",
	0x9b: "add-long",
	0x9c: "sub-long",
	0x9d: "mul-long",
	0x9e: "div-long",
	0x9f: "rem-long",
	0xa0: "and-long",
	0xa1: "or-long",
	0xa2: "xor-long",
	0xa3: "shl-long",
	0xa4: "shr-long",
	0xa5: "ushr-long",
	0xa6: "add-float",
	0xa7: "sub-float",
	0xa8: "mul-float",
	0xa9: "div-float",
	0xaa: "rem-float",
	0xab: "add-double",
	0xac: "sub-double",
	0xad: "mul-double",
	0xae: "div-double",
	0xaf: "rem-double",
	0xb0: "add-int/2addr",
	0xb1: "sub-int/2addr",
	0xb2: "mul-int/2addr",
	0xb3: "div-int/2addr",
	0xb4: "rem-int/2addr",
	0xb5: "and-int/2addr",
	0xb6: "or-int/2addr",
	0xb7: "xor-int/2addr",
	0xb8: "shl-int/2addr",
	0xb9: "shr-int/2addr",
	0xba: "ushr-int/2addr",
	0xbb: "add-long/2addr",
	0xbc: "sub-long/2addr",
	0xbd: "mul-long/2addr",
	0xbe: "div-long/2addr",
	0xbf: "rem-long/2addr",
	0xc0: "and-long/2addr",
	0xc1: "or-long/2addr",
	0xc2: "xor-long/2addr",
	0xc3: "shl-long/2addr",
	0xc4: "shr-long/2addr",
	0xc5: "ushr-long/2addr",
	0xc6: "add-float/2addr",
	0xc7: "sub-float/2addr",
	0xc8: "mul-float/2addr",
	0xc9: "div-float/2addr",
	0xca: "rem-float/2addr",
	0xcb: "add-double/2addr",
	0xcc: "sub-double/2addr",
	0xcd: "mul-double/2addr",
	0xce: "div-double/2addr",
	0xcf: "rem-double/2addr",
	0xd0: "add-int/lit16",
	0xd1: "rsub-int",
	0xd2: "mul-int/lit16",
	0xd3: "div-int/lit16",
	0xd4: "rem-int/lit16",
	0xd5: "and-int/lit16",
	0xd6: "or-int/lit16",
	0xd7: "xor-int/lit16",
	0xd8: "add-int/lit8",
	0xd9: "rsub-int/lit8",
	0xda: "mul-int/lit8",
	0xdb: "div-int/lit8",
	0xdc: "rem-int/lit8",
	0xdd: "and-int/lit8",
	0xde: "or-int/lit8",
	0xdf: "xor-int/lit8",
	0xe0: "shl-int/lit8",
	0xe1: "shr-int/lit8",
	0xe2: "ushr-int/lit8",
	0xe3: "unused-e3",
	0xe4: "unused-e4",
	0xe5: "unused-e5",
	0xe6: "unused-e6",
	0xe7: "unused-e7",
	0xe8: "unused-e8",
	0xe9: "unused-e9",
	0xea: "unused-ea",
	0xeb: "unused-eb",
	0xec: "unused-ec",
	0xed: "unused-ed",
	0xee: "unused-ee",
	0xef: "unused-ef",
	0xf0: "unused-f0",
	0xf1: "unused-f1",
	0xf2: "unused-f2",
	0xf3: "unused-f3",
	0xf4: "unused-f4",
	0xf5: "unused-f5",
	0xf6: "unused-f6",
	0xf7: "unused-f7",
	0xf8: "unused-f8",
	0xf9: "unused-f9",
	0xfa: "invoke-polymorphic",
	0xfb: "invoke-polymorphic/range",
	0xfc: "invoke-custom",
	0xfd: "invoke-custom/range",
	0xfe: "const-method-handle",
	0xff: "const-method-type",
}

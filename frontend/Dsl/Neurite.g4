// The Neurite language: hand-written models and the IR's text form. docs/dsl.md is the reference.
// After changing this file run scripts/generate-parser.sh; a test fails while Generated/ is stale.
grammar Neurite;

// ---------------------------------------------------------------- parser

program : model EOF ;

model : MODEL name signature block ;

// (x: f32[N, 784], mask) -> (logits: f32[N, 10])
signature : '(' valueDecls? ')' ARROW '(' valueDecls? ')' ;
valueDecls : valueDecl (',' valueDecl)* ','? ;
valueDecl : name (':' type)? ;

block : '{' statement* '}' ;

statement
    : opsetStatement ';'?
    | paramsStatement ';'?
    | paramStatement ';'?
    | metaStatement ';'?
    | docStatement ';'?
    | typeStatement ';'?
    | assignment ';'?
    ;

opsetStatement : OPSET name INT ;                     // opset ai.onnx 17
paramsStatement : PARAMS STRING ;                     // params "lenet5.npz"
paramStatement : PARAM name ':' type ('=' tensorInit)? ;
metaStatement : META (name | STRING) '=' literal ;   // meta producer_name = "pytorch"
docStatement : DOC STRING ;
typeStatement : TYPE name ':' type ;                  // type w: f32[10]: the type of a value defined elsewhere

// @conv1 (y, mask: bool[N]) = Dropout(x, ratio=0.5)
assignment : nodeLabel? targets '=' expression ;
nodeLabel : '@' name ;
targets : target | '(' target (',' target)* ')' ;
target : name (':' type)? ;

// x |> conv2d(w, b, pads=2) |> relu: each stage gets the value so far as its first argument.
// A bare name is no expression (statements have no separator: `y = x (a, b) = ...` must not parse).
expression
    : call (PIPE stage)*
    | name (PIPE stage)+
    ;
call : name '(' arguments? ')' ;
stage : name ('(' arguments? ')')? ;
arguments : argument (',' argument)* ','? ;
argument
    : name '=' attributeValue   # namedArgument
    | name                      # valueArgument
    | attributeValue            # literalArgument
    ;

attributeValue
    : number                                                        # numberValue
    | STRING                                                        # stringValue
    | '[' (attributeValue (',' attributeValue)* ','?)? ']'          # listValue
    | name '[' ']'                                                  # typedEmptyList
    | TENSOR '(' type ',' tensorInit ')'                            # tensorValue
    | TYPE '(' type ')'                                             # typeValue
    | GRAPH name? signature block                                   # graphValue
    ;

// zeros | ones | fill(0.5) | random(seed=1) | normal(seed=1, std=0.1) | [1, 2, 3] | file("w.npy") | raw("w.bin", offset=0, length=64)
tensorInit
    : tensorList                                # literalInit
    | name ('(' arguments? ')')?                # generatorInit
    ;
tensorList : '[' (tensorElement (',' tensorElement)* ','?)? ']' ;
tensorElement : number | STRING | name | tensorList ;

literal : number | STRING ;
number : '-'? (INT | FLOAT | INF | NAN) ;

// The text form of TypeSyntax: f32[N, 1, 28, 28], qi8<scale=0.05, zp=-3>[64], fixed<16,6>[4], seq<f32[?]>, f32[*]
type : name typeArguments? shape? ;
typeArguments : '<' typeArgument (',' typeArgument)* '>' ;
typeArgument
    : name '=' (number | '[' number (',' number)* ']')
    | type
    | number
    ;
shape : '[' ('*' | dim (',' dim)*)? ']' ;
dim : INT | name | '?' ;

// Keywords are reserved only where they start a construct: they stay usable as names.
name : ID | QUOTED_ID | MODEL | OPSET | PARAMS | PARAM | META | DOC | GRAPH | TENSOR | TYPE | INF | NAN ;

// ---------------------------------------------------------------- lexer

MODEL : 'model' ;
OPSET : 'opset' ;
PARAMS : 'params' ;
PARAM : 'param' ;
META : 'meta' ;
DOC : 'doc' ;
GRAPH : 'graph' ;
TENSOR : 'tensor' ;
TYPE : 'type' ;
INF : 'inf' ;
NAN : 'nan' ;

ARROW : '->' ;
PIPE : '|>' ;

FLOAT : DIGITS '.' DIGITS? EXPONENT? | '.' DIGITS EXPONENT? | DIGITS EXPONENT ;
INT : DIGITS ;
fragment DIGITS : [0-9]+ ;
fragment EXPONENT : [eE] [+-]? DIGITS ;

// Dotted names read as one: c1.w, conv1.0.weight, com.microsoft.QLinearAdd (domain.Op).
ID : [a-zA-Z_] [a-zA-Z0-9_]* ('.' [a-zA-Z0-9_]+)* ;
// Any other name (ONNX allows anything): `/conv1/Conv_output_0`; \` and \\ escape.
QUOTED_ID : '`' (~[`\\\r\n] | '\\' [`\\])* '`' ;
STRING : '"' (~["\\\r\n] | '\\' ["\\nrt])* '"' ;

COMMENT : '#' ~[\r\n]* -> skip ;
WHITESPACE : [ \t\r\n]+ -> skip ;

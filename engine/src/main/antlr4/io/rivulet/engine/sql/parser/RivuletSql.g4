/*
 * Rivulet's Spark SQL grammar: one combined grammar for everything the structured API parses from a
 * string: data types and table schemas in Spark's DDL ("id INT, ts TIMESTAMP, tags ARRAY<STRING>"), and
 * expressions (expr("qty * price AS notional"), selectExpr items, filter("qty > 100 AND sym = 'AAPL'")),
 * built into io.rivulet.engine.sql.expressions trees by io.rivulet.engine.sql.parser.ExpressionBuilder.
 *
 * Rules of the road for whoever extends it:
 *  - Keywords are case-insensitive (caseInsensitive option); identifiers keep the case written.
 *  - Type names (INT, STRING, DECIMAL, ...) are NOT keywords: a type is an identifier resolved by
 *    io.rivulet.engine.sql.parser.AstBuilder, so a column may be called `date` or `timestamp`, and an
 *    unknown type is reported by name with the list of known ones. Every keyword added must also be added
 *    to nonReserved unless Spark reserves it, or existing schemas with such column names stop parsing.
 *  - There is no '>>' token: nested types close with '>' '>' (ARRAY<ARRAY<INT>>). A shift operator, if
 *    ever needed, is parsed as two GT tokens.
 *  - '<>' is a token (NEQ) for expressions, so the empty struct STRUCT<> is matched as STRUCT NEQ.
 *  - Operator precedence is Spark's (SqlBaseParser): in valueExpression, unary minus/plus/~ binds
 *    tightest, then * / % DIV, then + - ||, then comparisons; in booleanExpression predicates (BETWEEN, IN,
 *    LIKE, RLIKE, IS NULL) bind to a value expression, then NOT, then AND, then OR. ANTLR gives
 *    left-recursive alternatives precedence in the order written: keep that order.
 *  - Keywords used by expressions (AND, OR, CASE, CAST, ...) are reserved here, except those in
 *    nonReserved; a column with such a name is written back-quoted (`case`). A field name after a dot and a
 *    column name in DDL accept every keyword (anyIdentifier), so `window.end` and "end TIMESTAMP" parse.
 *  - Numeric literal suffixes (10L, 1.5D, 2S, 3Y, 1.0BD, 2.5F) are tokens defined before IDENTIFIER, so
 *    "10L" is a bigint literal and not a name.
 *  - Nothing goes to the console: the driver removes ANTLR's console listener and reports the first
 *    syntax error as a ParseException naming the token and its position.
 */
grammar RivuletSql;

options { caseInsensitive = true; }

// ---------------------------------------------------------------------------------------------------------
// Entry rules: each consumes the whole input.

singleDataType
    : dataType EOF
    ;

singleTableSchema
    : colTypeList EOF
    ;

singleExpression
    : namedExpression EOF
    ;

// One item of selectExpr: an expression with an optional alias, or a star.
singleSelectItem
    : (qualifiedName DOT)? ASTERISK EOF      #selectStar
    | namedExpression EOF                    #selectExpression
    ;

// ---------------------------------------------------------------------------------------------------------
// Expressions (Spark's SqlBaseParser shapes, reduced to what Rivulet evaluates)

namedExpression
    : expression (AS? alias=anyIdentifier)?
    ;

expression
    : booleanExpression
    ;

booleanExpression
    : NOT booleanExpression                                                #logicalNot
    | valueExpression predicate?                                           #predicated
    | left=booleanExpression operator=AND right=booleanExpression          #logicalBinary
    | left=booleanExpression operator=OR right=booleanExpression           #logicalBinary
    ;

predicate
    : NOT? kind=BETWEEN lower=valueExpression AND upper=valueExpression
    | NOT? kind=IN LEFT_PAREN expression (COMMA expression)* RIGHT_PAREN
    | NOT? kind=(RLIKE | REGEXP) pattern=valueExpression
    | NOT? kind=LIKE pattern=valueExpression (ESCAPE escapeChar=stringLit)?
    | IS NOT? kind=NULL
    | IS NOT? kind=(TRUE | FALSE)
    ;

valueExpression
    : primaryExpression                                                              #valueExpressionDefault
    | operator=(MINUS | PLUS | TILDE) valueExpression                                #arithmeticUnary
    | left=valueExpression operator=(ASTERISK | SLASH | PERCENT | DIV) right=valueExpression  #arithmeticBinary
    | left=valueExpression operator=(PLUS | MINUS | CONCAT_PIPE) right=valueExpression         #arithmeticBinary
    | left=valueExpression comparisonOperator right=valueExpression                  #comparison
    ;

comparisonOperator
    : EQ | NEQ | NEQJ | LT | LTE | GT | GTE | NSEQ
    ;

primaryExpression
    : CASE whenClause+ (ELSE elseExpression=expression)? END                         #searchedCase
    | CASE value=expression whenClause+ (ELSE elseExpression=expression)? END        #simpleCase
    | CAST LEFT_PAREN expression AS dataType RIGHT_PAREN                             #cast
    | constant                                                                       #constantDefault
    | ASTERISK                                                                       #star
    | functionName LEFT_PAREN (DISTINCT? argument+=expression (COMMA argument+=expression)*)? RIGHT_PAREN
                                                                                     #functionCall
    | identifier                                                                     #columnReference
    | base=primaryExpression DOT fieldName=anyIdentifier                             #dereference
    | LEFT_PAREN expression RIGHT_PAREN                                              #parenthesizedExpression
    | value=primaryExpression LEFT_BRACKET index=valueExpression RIGHT_BRACKET        #subscript
    ;

whenClause
    : WHEN condition=expression THEN result=expression
    ;

functionName
    : identifier
    | LIKE
    | RLIKE
    | REGEXP
    ;

qualifiedName
    : identifier (DOT anyIdentifier)*
    ;

constant
    : NULL                                          #nullLiteral
    | interval                                      #intervalLiteral
    | identifier stringLit                          #typeConstructor
    | number                                        #numericLiteral
    | (TRUE | FALSE)                                #booleanLiteral
    | stringLit                                     #stringLiteral
    ;

interval
    : INTERVAL intervalBody
    ;

intervalBody
    : (intervalValue unit=identifier)+
    ;

// A duration as window() and withWatermark take it: "10 minutes", "1 hour 30 minutes", "INTERVAL 5 SECONDS".
singleInterval
    : INTERVAL? intervalBody EOF
    ;

intervalValue
    : (PLUS | MINUS)? (INTEGER_VALUE | DECIMAL_VALUE | stringLit)
    ;

number
    : MINUS? EXPONENT_VALUE          #exponentLiteral
    | MINUS? DECIMAL_VALUE           #decimalLiteral
    | MINUS? INTEGER_VALUE           #integerLiteral
    | MINUS? BIGINT_LITERAL          #bigIntLiteral
    | MINUS? SMALLINT_LITERAL        #smallIntLiteral
    | MINUS? TINYINT_LITERAL         #tinyIntLiteral
    | MINUS? DOUBLE_LITERAL          #doubleLiteral
    | MINUS? FLOAT_LITERAL           #floatLiteral
    | MINUS? BIGDECIMAL_LITERAL      #bigDecimalLiteral
    ;

// ---------------------------------------------------------------------------------------------------------
// Schemas

colTypeList
    : colType (COMMA colType)*
    ;

colType
    : colName=anyIdentifier dataType (NOT NULL)? commentSpec?
    ;

commentSpec
    : COMMENT stringLit
    ;

// ---------------------------------------------------------------------------------------------------------
// Data types

dataType
    : ARRAY LT dataType GT                                   #arrayDataType
    | MAP LT dataType COMMA dataType GT                      #mapDataType
    | STRUCT (LT complexColTypeList? GT | NEQ)               #structDataType
    | identifier (LEFT_PAREN INTEGER_VALUE (COMMA INTEGER_VALUE)* RIGHT_PAREN)?   #primitiveDataType
    ;

complexColTypeList
    : complexColType (COMMA complexColType)*
    ;

complexColType
    : anyIdentifier COLON? dataType (NOT NULL)? commentSpec?
    ;

// ---------------------------------------------------------------------------------------------------------
// Names and literals

identifier
    : IDENTIFIER                 #unquotedIdentifier
    | BACKQUOTED_IDENTIFIER      #quotedIdentifier
    | nonReserved                #nonReservedIdentifier
    ;

stringLit
    : STRING_LITERAL+
    ;

// Keywords that may still be used as names anywhere (Spark's non-ANSI mode reserves none of these).
nonReserved
    : ARRAY | MAP | STRUCT | COMMENT | END | ESCAPE
    ;

// Where a name cannot be confused with an operator (a field after a dot, a column in DDL, an alias after AS or
// in place of one), every keyword is a name.
anyIdentifier
    : identifier
    | reservedKeyword
    ;

reservedKeyword
    : NOT | NULL | AND | OR | CASE | WHEN | THEN | ELSE | CAST | AS | IN | IS | BETWEEN | LIKE | RLIKE | REGEXP
    | TRUE | FALSE | INTERVAL | DISTINCT | DIV
    ;

// =========================================================================================================
// Lexer

ARRAY: 'ARRAY';
MAP: 'MAP';
STRUCT: 'STRUCT';
COMMENT: 'COMMENT';
NOT: 'NOT';
NULL: 'NULL';
AND: 'AND';
OR: 'OR';
CASE: 'CASE';
WHEN: 'WHEN';
THEN: 'THEN';
ELSE: 'ELSE';
END: 'END';
CAST: 'CAST';
AS: 'AS';
IN: 'IN';
IS: 'IS';
BETWEEN: 'BETWEEN';
LIKE: 'LIKE';
RLIKE: 'RLIKE';
REGEXP: 'REGEXP';
ESCAPE: 'ESCAPE';
TRUE: 'TRUE';
FALSE: 'FALSE';
INTERVAL: 'INTERVAL';
DISTINCT: 'DISTINCT';
DIV: 'DIV';

LEFT_PAREN: '(';
RIGHT_PAREN: ')';
LEFT_BRACKET: '[';
RIGHT_BRACKET: ']';
TILDE: '~';
COMMA: ',';
DOT: '.';
COLON: ':';
EQ: '=' | '==';
NSEQ: '<=>';
NEQ: '<>';
NEQJ: '!=';
LT: '<';
LTE: '<=';
GT: '>';
GTE: '>=';
PLUS: '+';
MINUS: '-';
ASTERISK: '*';
SLASH: '/';
PERCENT: '%';
CONCAT_PIPE: '||';

STRING_LITERAL
    : '\'' ( ~['\\] | '\\' . )* '\''
    | '"' ( ~["\\] | '\\' . )* '"'
    ;

BIGINT_LITERAL
    : DIGIT+ 'L'
    ;

SMALLINT_LITERAL
    : DIGIT+ 'S'
    ;

TINYINT_LITERAL
    : DIGIT+ 'Y'
    ;

INTEGER_VALUE
    : DIGIT+
    ;

DOUBLE_LITERAL
    : DIGIT+ EXPONENT? 'D'
    | DECIMAL_DIGITS EXPONENT? 'D'
    ;

FLOAT_LITERAL
    : DIGIT+ EXPONENT? 'F'
    | DECIMAL_DIGITS EXPONENT? 'F'
    ;

BIGDECIMAL_LITERAL
    : DIGIT+ EXPONENT? 'BD'
    | DECIMAL_DIGITS EXPONENT? 'BD'
    ;

DECIMAL_VALUE
    : DIGIT+ '.' DIGIT*
    | '.' DIGIT+
    ;

EXPONENT_VALUE
    : (DIGIT+ ('.' DIGIT*)? | '.' DIGIT+) 'E' [+-]? DIGIT+
    ;

IDENTIFIER
    : (LETTER | DIGIT | '_')+
    ;

BACKQUOTED_IDENTIFIER
    : '`' ( ~'`' | '``' )* '`'
    ;

fragment DIGIT
    : [0-9]
    ;

fragment DECIMAL_DIGITS
    : DIGIT+ '.' DIGIT*
    | '.' DIGIT+
    ;

fragment EXPONENT
    : 'E' [+-]? DIGIT+
    ;

fragment LETTER
    : [A-Z]
    | [\u00C0-\uFFFF]
    ;

SIMPLE_COMMENT
    : '--' ~[\r\n]* -> channel(HIDDEN)
    ;

BRACKETED_COMMENT
    : '/*' .*? '*/' -> channel(HIDDEN)
    ;

WS
    : [ \t\r\n\f]+ -> channel(HIDDEN)
    ;

// Anything else becomes a token of its own, so the parser reports it by position instead of the lexer
// printing a "token recognition error".
UNRECOGNIZED
    : .
    ;

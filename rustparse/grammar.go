package rustparse

import (
	"fmt"
	"sync"

	sitter "github.com/tree-sitter/go-tree-sitter"
	rust "github.com/tree-sitter/tree-sitter-rust/bindings/go"
)

// nodeClass is what the extractor needs to know about a node kind.
type nodeClass uint8

const (
	classOther nodeClass = iota
	classDeclList
	classFieldList
	classOrderedFieldList
	classVariantList
	classFunction
	classFunctionSig
	classStruct
	classEnum
	classUnion
	classTrait
	classImpl
	classConst
	classStatic
	classTypeItem
	classAssocType
	classMacroDef
	classMod
	classForeignMod
	classVariant
	classFieldDecl
	classAttribute
	classComment
	classVisibility
	classError
)

var classByKindName = map[string]nodeClass{
	"declaration_list":               classDeclList,
	"field_declaration_list":         classFieldList,
	"ordered_field_declaration_list": classOrderedFieldList,
	"enum_variant_list":              classVariantList,
	"function_item":                  classFunction,
	"function_signature_item":        classFunctionSig,
	"struct_item":                    classStruct,
	"enum_item":                      classEnum,
	"union_item":                     classUnion,
	"trait_item":                     classTrait,
	"impl_item":                      classImpl,
	"const_item":                     classConst,
	"static_item":                    classStatic,
	"type_item":                      classTypeItem,
	"associated_type":                classAssocType,
	"macro_definition":               classMacroDef,
	"mod_item":                       classMod,
	"foreign_mod_item":               classForeignMod,
	"enum_variant":                   classVariant,
	"field_declaration":              classFieldDecl,
	"attribute_item":                 classAttribute,
	"line_comment":                   classComment,
	"block_comment":                  classComment,
	"visibility_modifier":            classVisibility,
}

// grammar holds the Rust language and the tables derived from it; it is
// immutable once built.
type grammar struct {
	lang   *sitter.Language
	class  []nodeClass // by node kind id
	expand []uint8     // by node kind id: 1 if the shallow walk enters it, 2 if it may (a function body)
	names  []string    // node kind names, by id

	fieldName, fieldBody, fieldType, fieldTrait, fieldValue uint16

	statement []bool // by node kind id: a statement of a block (not an expression)
	blockLike []bool // by node kind id: an expression ending with a block

	// Node kinds splicing by statements looks for.
	kindBlock, kindExprStmt, kindLet, kindMatch, kindMatchBlock, kindMatchArm uint16
	// lists: by node kind id, the list a node of that kind is (a block's
	// statements, a match's arms, a call's arguments...), or listNone.
	lists []listKind
	// chain: by node kind id, an expression or statement that splicing by
	// statements descends through to the list inside it (see listsIn).
	chain []bool
	// punct: by node kind id, the character of a one-character token
	// ("," or ";"), or 0.
	punct []byte
}

// listKindNames are the node kinds that are lists splicing by statements
// records, by listKind.
var listKindNames = [...]string{
	listStatements: "block",
	listArms:       "match_block",
	listArgs:       "arguments",
	listArray:      "array_expression",
	listTuple:      "tuple_expression",
	listFields:     "field_initializer_list",
}

// chainKinds are the node kinds that splicing by statements descends
// through, by their largest child, to a list inside them: statements,
// arms, and the expressions that can hold a block, a match or a literal
// list (a call, a closure, an if, a struct literal, a reference...).
var chainKinds = []string{
	"expression_statement", "let_declaration", "match_expression", "match_arm",
	"call_expression", "struct_expression", "field_initializer", "closure_expression",
	"if_expression", "else_clause", "let_condition", "loop_expression", "while_expression", "for_expression",
	"unsafe_block", "async_block", "const_block", "return_expression", "break_expression",
	"reference_expression", "try_expression", "await_expression", "parenthesized_expression",
	"binary_expression", "assignment_expression", "compound_assignment_expr", "field_expression",
	"unary_expression", "type_cast_expression", "index_expression", "range_expression", "generic_function",
}

// blockLikeKinds are the expressions ending with a block, which end a
// statement or a match arm without ";" or ",".
var blockLikeKinds = []string{"block", "if_expression", "match_expression", "loop_expression", "while_expression",
	"for_expression", "unsafe_block", "async_block", "const_block"}

// isBlockLike reports whether node kind id kind is an expression ending
// with a block.
func (g *grammar) isBlockLike(kind uint16) bool {
	return int(kind) < len(g.blockLike) && g.blockLike[kind]
}

// statementKinds are the node kinds of a block's statements that are not
// items; the item kinds (any class but classOther, comments, attributes
// and visibility) are statements too. Anything else in a block is an
// expression: its tail, or a block-like one ending a statement.
var statementKinds = []string{"expression_statement", "let_declaration", "empty_statement", "use_declaration", "extern_crate_declaration"}

// isStatement reports whether a child of a block of node kind id kind is a
// statement rather than an expression.
func (g *grammar) isStatement(kind uint16) bool {
	return int(kind) < len(g.statement) && g.statement[kind]
}

// rustGrammar returns the shared, read-only Rust grammar tables.
var rustGrammar = sync.OnceValue(func() *grammar {
	lang := sitter.NewLanguage(rust.Language())
	n := lang.NodeKindCount()
	g := &grammar{
		lang:   lang,
		class:  make([]nodeClass, n),
		expand: make([]uint8, n),
		names:  make([]string, n),
	}
	for id := uint16(0); uint32(id) < n; id++ {
		name := lang.NodeKindForId(id)
		g.names[id] = name
		if !lang.NodeKindIsNamed(id) {
			continue
		}
		c := classByKindName[name]
		g.class[id] = c
		switch c {
		case classOther, classAttribute, classComment, classVisibility:
		default:
			g.expand[id] = 1
		}
	}
	kind := func(name string) uint16 {
		id := lang.IdForNodeKind(name, true)
		if id == 0 {
			panic(fmt.Sprintf("rustparse: tree-sitter-rust has no node kind %q", name))
		}
		return id
	}
	g.kindBlock, g.kindExprStmt, g.kindLet = kind("block"), kind("expression_statement"), kind("let_declaration")
	g.kindMatch, g.kindMatchBlock, g.kindMatchArm = kind("match_expression"), kind("match_block"), kind("match_arm")
	// Large function bodies and the large lists inside them, and the
	// statements and expressions on the way: a splicing Tracker records
	// their statements, arms and elements.
	g.lists = make([]listKind, n)
	g.chain = make([]bool, n)
	for lk, name := range listKindNames {
		if name == "" {
			continue
		}
		id := kind(name)
		g.lists[id] = listKind(lk)
		g.expand[id] = 2
	}
	for _, name := range chainKinds {
		id := kind(name)
		g.chain[id] = true
		g.expand[id] = 2
	}
	g.punct = make([]byte, n)
	for id := uint16(0); uint32(id) < n; id++ {
		if name := g.names[id]; !lang.NodeKindIsNamed(id) && len(name) == 1 {
			g.punct[id] = name[0]
		}
	}
	g.blockLike = make([]bool, n)
	for _, name := range blockLikeKinds {
		g.blockLike[kind(name)] = true
	}
	g.statement = make([]bool, n)
	for id := range g.statement {
		switch g.class[id] {
		case classOther, classComment, classAttribute, classVisibility:
		default:
			g.statement[id] = true
		}
	}
	for _, name := range statementKinds {
		g.statement[kind(name)] = true
	}
	field := func(name string) uint16 {
		id := lang.FieldIdForName(name)
		if id == 0 {
			panic(fmt.Sprintf("rustparse: tree-sitter-rust has no field %q", name))
		}
		return id
	}
	g.fieldName = field("name")
	g.fieldBody = field("body")
	g.fieldType = field("type")
	g.fieldTrait = field("trait")
	g.fieldValue = field("value")
	return g
})

// classOf returns the class of a node kind id.
func (g *grammar) classOf(kind uint16) nodeClass {
	if kind == kindError {
		return classError
	}
	if int(kind) < len(g.class) {
		return g.class[kind]
	}
	return classOther
}

// kindName returns the name of a node kind id.
func (g *grammar) kindName(kind uint16) string {
	if kind == kindError {
		return "ERROR"
	}
	if int(kind) < len(g.names) {
		return g.names[kind]
	}
	return fmt.Sprintf("kind %d", kind)
}

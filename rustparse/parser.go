package rustparse

import (
	"fmt"
	"math"
	"runtime"
	"strconv"

	sitter "github.com/tree-sitter/go-tree-sitter"
)

// Parser parses Rust files. It owns a tree-sitter parser (C memory): call
// Close when done. A Parser is not safe for concurrent use; the package
// level Parse draws on a pool of them.
type Parser struct {
	g    *grammar
	ts   *sitter.Parser
	recs []record
	errs []record
	x    extractor
}

// NewParser returns a Parser for Rust. It panics if the linked
// tree-sitter-rust grammar is incompatible with the tree-sitter library,
// which is a build problem, not an input problem.
func NewParser() *Parser {
	installCAllocator()
	g := rustGrammar()
	ts := sitter.NewParser()
	if err := ts.SetLanguage(g.lang); err != nil {
		ts.Close()
		panic("rustparse: " + err.Error())
	}
	return &Parser{g: g, ts: ts}
}

// Close frees the parser's C memory. The Parser must not be used after.
func (p *Parser) Close() {
	if p.ts != nil {
		p.ts.Close()
		p.ts = nil
	}
}

// Parse returns the items of one Rust source file. Syntax errors do not
// make it fail: the items that parsed are returned with File.Errors. It
// fails only for input tree-sitter cannot take (larger than 4 GiB).
func (p *Parser) Parse(src []byte) (*File, error) {
	tree, err := p.parseTree(nil, src)
	if err != nil {
		return nil, err
	}
	defer tree.Close()
	return p.extract(tree, src), nil
}

// parseTree parses src, reusing old (already edited) if not nil.
//
// It goes through the binding's Parse, which copies the input into C
// memory: handing tree-sitter the Go bytes directly through
// ts_parser_parse_string measured no faster (BenchmarkRatio).
func (p *Parser) parseTree(old *sitter.Tree, src []byte) (*sitter.Tree, error) {
	if len(src) > math.MaxUint32 {
		return nil, fmt.Errorf("rustparse: parse %d bytes: larger than 4 GiB", len(src))
	}
	tree := p.ts.Parse(src, old)
	if tree == nil {
		return nil, fmt.Errorf("rustparse: parse %d bytes: tree-sitter returned no tree", len(src))
	}
	return tree, nil
}

// extract builds the File of tree, parsed from src.
func (p *Parser) extract(tree *sitter.Tree, src []byte) *File {
	p.walkBodies(tree, src, nil, nil, math.MaxUint32)
	f := &File{Items: p.x.extractAll()}
	f.Errors = p.parseErrors(tree)
	p.x.addDepthError(f)
	p.x.src = nil
	return f
}

// walk records the shallow walk of tree and readies the extractor; it
// does not enter the nodes whose id is in skip (sorted). lines
// are src's line starts, or nil to compute them. It enters the function
// bodies of at least [statementsMinBody] bytes, whose statements a
// splicing Tracker records.
func (p *Parser) walk(tree *sitter.Tree, src []byte, skip []uintptr, lines []int) {
	p.walkBodies(tree, src, skip, lines, statementsMinBody)
}

// walkBodies is walk entering the function bodies of at least minBody
// bytes (math.MaxUint32: none).
func (p *Parser) walkBodies(tree *sitter.Tree, src []byte, skip []uintptr, lines []int, minBody uint32) {
	p.recs = walkTree(tree, p.g.expand, skip, minBody, p.recs)
	p.x.reset(p.g, src, p.recs, lines)
}

// parseErrors lists the syntax errors of tree; the extractor must be
// reset to the tree's walk.
func (p *Parser) parseErrors(tree *sitter.Tree) []ParseError {
	if !tree.RootNode().HasError() {
		return nil
	}
	p.errs = errorNodes(tree, p.errs)
	return p.errorList()
}

// errorList turns the error nodes in p.errs into ParseErrors; the
// extractor must be reset to their tree's walk.
func (p *Parser) errorList() []ParseError {
	out := make([]ParseError, 0, len(p.errs))
	for i := range p.errs {
		r := &p.errs[i]
		line := p.x.line(r.start)
		e := ParseError{Line: line, Column: int(r.start) - p.x.lines[line-1] + 1}
		if r.flag&flagMissing != 0 {
			e.Message = "missing " + p.g.kindName(r.kind)
		} else {
			e.Message = syntaxErrorPrefix + strconv.Quote(snippet(p.x.src, r.start, r.end))
		}
		out = append(out, e)
	}
	return out
}

// syntaxErrorPrefix starts the message of an ERROR node's ParseError.
const syntaxErrorPrefix = "syntax error near "

// snippet returns the start of src[start:end], up to the end of its line
// and at most 24 bytes.
func snippet(src []byte, start, end uint32) string {
	s := src[start:end]
	for i, c := range s {
		if c == '\n' || i == 24 {
			return string(s[:i])
		}
	}
	return string(s)
}

// parserPool holds idle parsers for the package-level Parse and for Trackers.
var parserPool = make(chan *Parser, runtime.GOMAXPROCS(0))

func getParser() *Parser {
	select {
	case p := <-parserPool:
		return p
	default:
		return NewParser()
	}
}

func putParser(p *Parser) {
	select {
	case parserPool <- p:
	default:
		p.Close()
	}
}

// Parse returns the items of one Rust source file using a pooled Parser;
// it is safe for concurrent use. See Parser.Parse.
func Parse(src []byte) (*File, error) {
	p := getParser()
	defer putParser(p)
	return p.Parse(src)
}

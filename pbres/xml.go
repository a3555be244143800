package pbres

import (
	"fmt"
)

// XMLNode is an XmlNode: an element or a run of text.
type XMLNode struct {
	Element *XMLElement // set for an element
	Text    string      // the text, when Element is nil
	Source  SourcePosition
	Offset  int64 // of the node's message in the input
}

// XMLElement is an XmlElement.
type XMLElement struct {
	NamespaceDeclarations []XMLNamespace
	NamespaceURI          string
	Name                  string
	Attributes            []XMLAttribute
	Children              []*XMLNode
}

// XMLNamespace is an XmlNamespace: xmlns:prefix="uri" on an element.
type XMLNamespace struct {
	Prefix, URI string
	Source      SourcePosition
}

// XMLAttribute is an XmlAttribute.
type XMLAttribute struct {
	NamespaceURI string
	Name         string
	// Value is the attribute's source text (aapt2 keeps it when it
	// compiled the XML from a binary document with raw values, and for
	// strings).
	Value  string
	Source SourcePosition
	// ResourceID is the attribute's resource ID (0x0101xxxx for android:
	// attributes), 0 if it has none.
	ResourceID uint32
	// CompiledItem is the interpreted value, nil when the attribute is a
	// plain string.
	CompiledItem *Item
	Offset       int64 // of the attribute's message in the input
}

// SourcePosition is a SourcePosition: where an entity was declared.
type SourcePosition struct {
	LineNumber   uint32
	ColumnNumber uint32
}

// XMLDocument is a decoded proto XML file: its root node and the problems
// that did not stop decoding.
type XMLDocument struct {
	Root     *XMLNode
	Warnings []error
}

// ParseXML decodes an XmlNode message, the content of a proto XML file
// such as a bundle's base/manifest/AndroidManifest.xml.
func ParseXML(data []byte, lim Limits) (*XMLDocument, error) {
	p := &xmlParser{lim: lim.withDefaults()}
	p.warn.max = p.lim.MaxWarnings
	root, err := p.node(newMessage(data, 0), 0)
	if err != nil {
		return nil, fmt.Errorf("reading XmlNode: %w", err)
	}
	if root.Element == nil {
		return nil, errorf(0, "root node is not an element")
	}
	return &XMLDocument{Root: root, Warnings: p.warn.done()}, nil
}

type xmlParser struct {
	lim   Limits
	nodes int
	attrs int
	warn  warnings
}

func (p *xmlParser) node(m *message, depth int) (*XMLNode, error) {
	if depth > p.lim.MaxDepth {
		return nil, limitErr(m.base, fmt.Sprintf("element nesting %d", depth), "MaxDepth", p.lim.MaxDepth)
	}
	p.nodes++
	if p.nodes > p.lim.MaxNodes {
		return nil, limitErr(m.base, fmt.Sprintf("node %d", p.nodes), "MaxNodes", p.lim.MaxNodes)
	}
	n := &XMLNode{Offset: m.base}
	isText := false
	err := eachField(m, func(f *field) (err error) {
		switch f.num {
		case 1: // element
			var sm *message
			if sm, err = f.sub(); err == nil {
				n.Element, err = p.element(sm, depth)
				isText = false
			}
		case 2: // text
			n.Text, err = f.str()
			n.Element, isText = nil, true
		case 3: // source
			n.Source, err = embedded(f, sourcePosition)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if n.Element == nil && !isText {
		p.warn.add(errorf(m.base, "node is neither an element nor text; read as empty text"))
	}
	return n, nil
}

func (p *xmlParser) element(m *message, depth int) (*XMLElement, error) {
	e := &XMLElement{}
	err := eachField(m, func(f *field) (err error) {
		switch f.num {
		case 1:
			err = appendEmbedded(&e.NamespaceDeclarations, f, namespace)
		case 2:
			e.NamespaceURI, err = f.str()
		case 3:
			e.Name, err = f.str()
		case 4:
			p.attrs++
			if p.attrs > p.lim.MaxAttributes {
				return limitErr(f.off, fmt.Sprintf("attribute %d", p.attrs), "MaxAttributes", p.lim.MaxAttributes)
			}
			err = appendEmbedded(&e.Attributes, f, p.attribute)
		case 5:
			var sm *message
			if sm, err = f.sub(); err == nil {
				var c *XMLNode
				c, err = p.node(sm, depth+1)
				e.Children = append(e.Children, c)
			}
		}
		return err
	})
	return e, err
}

func namespace(m *message) (XMLNamespace, error) {
	var ns XMLNamespace
	err := eachField(m, func(f *field) (err error) {
		switch f.num {
		case 1:
			ns.Prefix, err = f.str()
		case 2:
			ns.URI, err = f.str()
		case 3:
			ns.Source, err = embedded(f, sourcePosition)
		}
		return err
	})
	return ns, err
}

func (p *xmlParser) attribute(m *message) (XMLAttribute, error) {
	a := XMLAttribute{Offset: m.base}
	err := eachField(m, func(f *field) (err error) {
		switch f.num {
		case 1:
			a.NamespaceURI, err = f.str()
		case 2:
			a.Name, err = f.str()
		case 3:
			a.Value, err = f.str()
		case 4:
			a.Source, err = embedded(f, sourcePosition)
		case 5:
			a.ResourceID, err = f.u32()
		case 6:
			a.CompiledItem, err = embedded(f, parseItem)
		}
		return err
	})
	return a, err
}

func sourcePosition(m *message) (SourcePosition, error) {
	var sp SourcePosition
	err := eachField(m, func(f *field) (err error) {
		switch f.num {
		case 1:
			sp.LineNumber, err = f.u32()
		case 2:
			sp.ColumnNumber, err = f.u32()
		}
		return err
	})
	return sp, err
}

package plist

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// parseXML reads an XML property list with encoding/xml's tokenizer, which
// never fetches external entities or DTDs.
func parseXML(data []byte, b *budget) (*Value, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false // Apple's parser accepts unknown entities left as text
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		// Property lists are UTF-8; a declaration naming another charset is
		// read as UTF-8 too, as CFPropertyList does.
		return r, nil
	}
	x := &xmlParser{d: d, b: b}
	for {
		off := d.InputOffset()
		tok, err := d.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, errorf(off, "no value in the XML property list")
			}
			return nil, &FormatError{Offset: off, Msg: "XML", Err: err}
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if se.Name.Local == "plist" {
			continue
		}
		return x.value(se, off, 0)
	}
}

type xmlParser struct {
	d *xml.Decoder
	b *budget
}

// text reads the character data of a simple element up to its end tag.
func (x *xmlParser) text(name string) (string, error) {
	var sb strings.Builder
	for {
		off := x.d.InputOffset()
		tok, err := x.d.Token()
		if err != nil {
			return "", &FormatError{Offset: off, Msg: "XML in <" + name + ">", Err: err}
		}
		switch t := tok.(type) {
		case xml.CharData:
			if err := x.b.data(off, int64(len(t))); err != nil {
				return "", err
			}
			sb.Write(t)
		case xml.EndElement:
			return sb.String(), nil
		case xml.StartElement:
			return "", errorf(off, "<%s> inside <%s>", t.Name.Local, name)
		}
	}
}

func (x *xmlParser) value(se xml.StartElement, off int64, depth int) (*Value, error) {
	if depth > x.b.lim.MaxDepth {
		return nil, limitErr(off, fmt.Sprintf("nesting %d", depth), "MaxDepth", x.b.lim.MaxDepth)
	}
	if err := x.b.value(off); err != nil {
		return nil, err
	}
	v := &Value{Offset: off}
	name := se.Name.Local
	switch name {
	case "true", "false":
		v.Kind, v.Bool = Boolean, name == "true"
		if err := x.d.Skip(); err != nil {
			return nil, &FormatError{Offset: off, Msg: "XML", Err: err}
		}
	case "string", "key", "ustring":
		s, err := x.text(name)
		if err != nil {
			return nil, err
		}
		v.Kind, v.Str = String, s
	case "integer":
		s, err := x.text(name)
		if err != nil {
			return nil, err
		}
		v.Kind = Integer
		s = strings.TrimSpace(s)
		if n, err := strconv.ParseInt(s, 0, 64); err == nil {
			v.Int = n
		} else if u, err := strconv.ParseUint(s, 0, 64); err == nil {
			v.Int, v.Unsigned = int64(u), true
		} else {
			return nil, &FormatError{Offset: off, Msg: "integer " + strconv.Quote(s), Err: err}
		}
	case "real":
		s, err := x.text(name)
		if err != nil {
			return nil, err
		}
		v.Kind = Real
		s = strings.TrimSpace(s)
		switch strings.ToLower(s) {
		case "nan":
			v.Real = math.NaN()
		case "inf", "+inf", "infinity":
			v.Real = math.Inf(1)
		case "-inf", "-infinity":
			v.Real = math.Inf(-1)
		default:
			f, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, &FormatError{Offset: off, Msg: "real " + strconv.Quote(s), Err: err}
			}
			v.Real = f
		}
	case "date":
		s, err := x.text(name)
		if err != nil {
			return nil, err
		}
		t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
		if err != nil {
			return nil, &FormatError{Offset: off, Msg: "date " + strconv.Quote(s), Err: err}
		}
		v.Kind, v.Date = Date, t.UTC()
	case "data":
		s, err := x.text(name)
		if err != nil {
			return nil, err
		}
		clean := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, s)
		raw, err := base64.StdEncoding.DecodeString(clean)
		if err != nil {
			raw, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(clean, "="))
		}
		if err != nil {
			return nil, &FormatError{Offset: off, Msg: "data is not base64", Err: err}
		}
		v.Kind, v.Data = Data, raw
	case "array", "dict":
		if name == "array" {
			v.Kind = Array
		} else {
			v.Kind = Dict
		}
		var key *string
		for {
			eoff := x.d.InputOffset()
			tok, err := x.d.Token()
			if err != nil {
				return nil, &FormatError{Offset: eoff, Msg: "XML in <" + name + ">", Err: err}
			}
			switch t := tok.(type) {
			case xml.EndElement:
				if key != nil {
					return nil, errorf(eoff, "dict key %q has no value", *key)
				}
				return v, nil
			case xml.StartElement:
				if v.Kind == Dict && key == nil {
					if t.Name.Local != "key" {
						return nil, errorf(eoff, "<%s> where a dict key belongs", t.Name.Local)
					}
					k, err := x.text("key")
					if err != nil {
						return nil, err
					}
					key = &k
					continue
				}
				e, err := x.value(t, eoff, depth+1)
				if err != nil {
					return nil, err
				}
				if v.Kind == Array {
					v.Array = append(v.Array, e)
				} else {
					v.Dict = append(v.Dict, Entry{Key: *key, Value: e})
					key = nil
				}
			}
		}
	default:
		return nil, errorf(off, "unknown element <%s>", name)
	}
	return v, nil
}

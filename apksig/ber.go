package apksig

import "errors"

// maxBERDepth bounds nesting when normalising BER.
const maxBERDepth = 64

var errBER = errors.New("malformed BER")

// berToDER re-encodes one BER value with minimal definite lengths, the only
// BER liberty seen in APK certificates that Java accepts and encoding/asn1
// does not. Constructed string encodings are left as they are.
func berToDER(b []byte) ([]byte, error) {
	out, rest, err := berValue(b, 0)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, errBER
	}
	return out, nil
}

func berValue(b []byte, depth int) (out, rest []byte, err error) {
	if depth > maxBERDepth || len(b) < 2 {
		return nil, nil, errBER
	}
	// Identifier octets, including the high-tag-number form.
	i := 1
	if b[0]&0x1f == 0x1f {
		for i < len(b) && b[i]&0x80 != 0 {
			i++
		}
		i++
	}
	if i >= len(b) {
		return nil, nil, errBER
	}
	ident := b[:i]
	constructed := b[0]&0x20 != 0
	l := int(b[i])
	i++
	var content []byte
	switch {
	case l < 0x80:
		if l > len(b)-i {
			return nil, nil, errBER
		}
		content, rest = b[i:i+l], b[i+l:]
	case l == 0x80: // indefinite: children up to an end-of-contents marker
		if !constructed {
			return nil, nil, errBER
		}
		body := b[i:]
		var kids []byte
		for {
			if len(body) < 2 {
				return nil, nil, errBER
			}
			if body[0] == 0 && body[1] == 0 {
				rest = body[2:]
				break
			}
			k, r, err := berValue(body, depth+1)
			if err != nil {
				return nil, nil, err
			}
			kids = append(kids, k...)
			body = r
		}
		return appendTLV(nil, ident, kids), rest, nil
	default:
		n := l & 0x7f
		if n > len(b)-i {
			return nil, nil, errBER
		}
		length := 0
		for _, c := range b[i : i+n] {
			if length > (1<<31-1)>>8 {
				return nil, nil, errBER
			}
			length = length<<8 | int(c)
		}
		i += n
		if length > len(b)-i {
			return nil, nil, errBER
		}
		content, rest = b[i:i+length], b[i+length:]
	}
	if !constructed {
		return appendTLV(nil, ident, content), rest, nil
	}
	var kids []byte
	for len(content) > 0 {
		k, r, err := berValue(content, depth+1)
		if err != nil {
			return nil, nil, err
		}
		kids = append(kids, k...)
		content = r
	}
	return appendTLV(nil, ident, kids), rest, nil
}

func appendTLV(dst, ident, content []byte) []byte {
	dst = append(dst, ident...)
	n := len(content)
	switch {
	case n < 0x80:
		dst = append(dst, byte(n))
	default:
		var lb []byte
		for v := n; v > 0; v >>= 8 {
			lb = append([]byte{byte(v)}, lb...)
		}
		dst = append(dst, 0x80|byte(len(lb)))
		dst = append(dst, lb...)
	}
	return append(dst, content...)
}

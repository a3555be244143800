package knowledge

import (
	"strings"
	"sync"
)

// EndpointTables say which URL schemes name endpoints and which of them
// carry data unencrypted, and which strings that look like server
// addresses name none anyone contacts (data/endpoints.json).
type EndpointTables struct {
	// Namespaces are URL prefixes of XML namespace and protocol
	// identifiers ("http://jabber.org/protocol/").
	Namespaces []string
	// Placeholders are hosts of namespaces, schemas and documentation
	// examples ("schemas.android.com", "example.com").
	Placeholders map[string]bool
	// Schemes maps the URL schemes whose URLs are endpoints ("https",
	// "mqtt"), in lower case, to whether their traffic is unencrypted.
	Schemes map[string]bool
}

// IsCleartext reports whether a URL scheme carries data unencrypted.
func (n *EndpointTables) IsCleartext(scheme string) bool {
	return n.Schemes[strings.ToLower(scheme)]
}

// IsURLScheme reports whether a lower-case URL scheme is one whose URLs
// name endpoints.
func (n *EndpointTables) IsURLScheme(scheme string) bool {
	_, ok := n.Schemes[scheme]
	return ok
}

// IsNamespace reports whether a URL is a namespace or protocol identifier.
func (n *EndpointTables) IsNamespace(u string) bool {
	for _, p := range n.Namespaces {
		if strings.HasPrefix(u, p) {
			return true
		}
	}
	return false
}

// endpointItem is one entry of data/endpoints.json.
type endpointItem struct {
	Prefix string `json:"prefix,omitempty"`
	Host   string `json:"host,omitempty"`
	Scheme string `json:"scheme,omitempty"`
	// Cleartext marks a scheme whose traffic is not encrypted.
	Cleartext bool   `json:"cleartext,omitempty"`
	Why       string `json:"why"`
}

var endpointsOnce = sync.OnceValues(loadEndpoints)

func loadEndpoints() (*EndpointTables, error) {
	const file = "data/endpoints.json"
	var doc struct {
		Comment      string         `json:"comment"`
		Namespaces   []endpointItem `json:"namespaces"`
		Placeholders []endpointItem `json:"placeholder_hosts"`
		Schemes      []endpointItem `json:"url_schemes"`
	}
	if err := decodeFile(file, &doc); err != nil {
		return nil, err
	}
	return buildEndpoints(file, doc.Namespaces, doc.Placeholders, doc.Schemes)
}

// buildEndpoints checks the entries of the file and builds the tables.
func buildEndpoints(file string, namespaces, placeholders, schemes []endpointItem) (*EndpointTables, error) {
	n := &EndpointTables{Placeholders: map[string]bool{}, Schemes: map[string]bool{}}
	seen := map[string]bool{}
	for _, it := range namespaces {
		switch {
		case it.Host != "" || it.Scheme != "" || it.Cleartext || it.Why == "":
			return nil, &DataError{File: file, Item: it.Prefix, Msg: "a namespace has a prefix and a why, no host or scheme"}
		case !strings.HasPrefix(it.Prefix, "http://") && !strings.HasPrefix(it.Prefix, "https://"):
			return nil, &DataError{File: file, Item: it.Prefix, Msg: "a namespace prefix starts with http:// or https://"}
		case !lowerHost(it.Prefix):
			return nil, &DataError{File: file, Item: it.Prefix, Msg: "a namespace prefix names a lower-case host"}
		case seen[it.Prefix]:
			return nil, &DataError{File: file, Item: it.Prefix, Msg: "duplicate"}
		}
		seen[it.Prefix] = true
		n.Namespaces = append(n.Namespaces, it.Prefix)
	}
	for _, it := range placeholders {
		switch {
		case it.Prefix != "" || it.Scheme != "" || it.Cleartext || it.Why == "" || it.Host == "":
			return nil, &DataError{File: file, Item: it.Host, Msg: "a placeholder has a host and a why, no prefix or scheme"}
		case strings.ToLower(it.Host) != it.Host || strings.ContainsAny(it.Host, ":/ "):
			return nil, &DataError{File: file, Item: it.Host, Msg: "a placeholder is a lower-case host name, no scheme, port or path"}
		case n.Placeholders[it.Host]:
			return nil, &DataError{File: file, Item: it.Host, Msg: "duplicate"}
		}
		n.Placeholders[it.Host] = true
	}
	for _, it := range schemes {
		switch {
		case it.Prefix != "" || it.Host != "" || it.Why == "" || !validScheme(it.Scheme):
			return nil, &DataError{File: file, Item: it.Scheme, Msg: "a URL scheme is a lower-case scheme (RFC 3986) with a why, no prefix or host"}
		case n.IsURLScheme(it.Scheme):
			return nil, &DataError{File: file, Item: it.Scheme, Msg: "duplicate"}
		}
		n.Schemes[it.Scheme] = it.Cleartext
	}
	return n, nil
}

// validScheme reports whether s is a URL scheme as RFC 3986 writes one
// (a letter, then letters, digits, "+", "-" or "."), in lower case.
func validScheme(s string) bool {
	for i, c := range s {
		switch {
		case c >= 'a' && c <= 'z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return s != ""
}

// lowerHost reports whether a URL prefix names a host, in lower case (the
// prefix is compared with URLs as written, and hosts are written so).
func lowerHost(prefix string) bool {
	_, rest, _ := strings.Cut(prefix, "://")
	host, _, _ := strings.Cut(rest, "/")
	return host != "" && strings.ToLower(host) == host
}

// Endpoints returns the strings that name no server. The table is shared:
// callers must not change it.
func Endpoints() *EndpointTables {
	n, err := endpointsOnce()
	mustLoad(err)
	return n
}

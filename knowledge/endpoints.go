package knowledge

import (
	"strings"
	"sync"
)

// NotServers are the strings that look like server addresses but name none
// anyone contacts (data/endpoints.json).
type NotServers struct {
	// Namespaces are URL prefixes of XML namespace and protocol
	// identifiers ("http://jabber.org/protocol/").
	Namespaces []string
	// Placeholders are hosts of namespaces, schemas and documentation
	// examples ("schemas.android.com", "example.com").
	Placeholders map[string]bool
}

// IsNamespace reports whether a URL is a namespace or protocol identifier.
func (n *NotServers) IsNamespace(u string) bool {
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
	Why    string `json:"why"`
}

var notServersOnce = sync.OnceValues(loadNotServers)

func loadNotServers() (*NotServers, error) {
	const file = "data/endpoints.json"
	var doc struct {
		Comment      string         `json:"comment"`
		Namespaces   []endpointItem `json:"namespaces"`
		Placeholders []endpointItem `json:"placeholder_hosts"`
	}
	if err := decodeFile(file, &doc); err != nil {
		return nil, err
	}
	return buildNotServers(file, doc.Namespaces, doc.Placeholders)
}

// buildNotServers checks the entries of the file and builds the table.
func buildNotServers(file string, namespaces, placeholders []endpointItem) (*NotServers, error) {
	n := &NotServers{Placeholders: map[string]bool{}}
	seen := map[string]bool{}
	for _, it := range namespaces {
		switch {
		case it.Host != "" || it.Why == "":
			return nil, &DataError{File: file, Item: it.Prefix, Msg: "a namespace has a prefix and a why, no host"}
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
		case it.Prefix != "" || it.Why == "" || it.Host == "":
			return nil, &DataError{File: file, Item: it.Host, Msg: "a placeholder has a host and a why, no prefix"}
		case strings.ToLower(it.Host) != it.Host || strings.ContainsAny(it.Host, ":/ "):
			return nil, &DataError{File: file, Item: it.Host, Msg: "a placeholder is a lower-case host name, no scheme, port or path"}
		case n.Placeholders[it.Host]:
			return nil, &DataError{File: file, Item: it.Host, Msg: "duplicate"}
		}
		n.Placeholders[it.Host] = true
	}
	return n, nil
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
func Endpoints() *NotServers {
	n, err := notServersOnce()
	mustLoad(err)
	return n
}

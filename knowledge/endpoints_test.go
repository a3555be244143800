package knowledge

import (
	"errors"
	"testing"
)

func TestEndpointsTable(t *testing.T) {
	n := Endpoints()
	for _, c := range []struct {
		url  string
		want bool
	}{
		{"http://jabber.org/protocol/disco#info", true},
		{"http://www.igniterealtime.org/projects/smack", true},
		{"http://www.igniterealtime.org/downloads/", false},
		{"http://jabber.example.org/api", false},
		{"http://relaxng.org/ns/structure/1.0", true},
		{"http://relaxng.org/download", false},
	} {
		if got := n.IsNamespace(c.url); got != c.want {
			t.Errorf("IsNamespace(%q) = %v, want %v", c.url, got, c.want)
		}
	}
	if !n.Placeholders["schemas.android.com"] || !n.Placeholders["example.com"] || n.Placeholders["api.example.net"] {
		t.Error("placeholder hosts")
	}
	for scheme, want := range map[string]bool{"http": true, "HTTP": true, "ws": true, "mqtt": true, "https": false, "wss": false, "content": false, "": false} {
		if got := n.IsCleartext(scheme); got != want {
			t.Errorf("IsCleartext(%q) = %v, want %v", scheme, got, want)
		}
	}
	for scheme, want := range map[string]bool{"http": true, "https": true, "wss": true, "mqtts": true, "udp": true, "content": false, "file": false, "market": false, "": false} {
		if got := n.IsURLScheme(scheme); got != want {
			t.Errorf("IsURLScheme(%q) = %v, want %v", scheme, got, want)
		}
	}
}

func TestEndpointsRejects(t *testing.T) {
	ok := endpointItem{Prefix: "http://ns.example/", Why: "w"}
	host := endpointItem{Host: "example.com", Why: "w"}
	scheme := endpointItem{Scheme: "http", Cleartext: true, Why: "w"}
	for name, c := range map[string]struct{ ns, hosts, schemes []endpointItem }{
		"no why":            {ns: []endpointItem{{Prefix: "http://a.example/"}}},
		"no scheme":         {ns: []endpointItem{{Prefix: "a.example/", Why: "w"}}},
		"upper-case host":   {ns: []endpointItem{{Prefix: "http://A.example/", Why: "w"}}},
		"no host":           {ns: []endpointItem{{Prefix: "http://", Why: "w"}}},
		"namespace host":    {ns: []endpointItem{{Prefix: "http://a.example/", Host: "a.example", Why: "w"}}},
		"duplicate prefix":  {ns: []endpointItem{ok, ok}},
		"placeholder path":  {hosts: []endpointItem{{Host: "example.com/x", Why: "w"}}},
		"placeholder upper": {hosts: []endpointItem{{Host: "Example.com", Why: "w"}}},
		"duplicate host":    {hosts: []endpointItem{host, host}},
		"no host at all":    {hosts: []endpointItem{{Why: "w"}}},
		"namespace scheme":  {ns: []endpointItem{{Prefix: "http://a.example/", Scheme: "http", Why: "w"}}},
		"scheme no why":     {schemes: []endpointItem{{Scheme: "http"}}},
		"scheme upper":      {schemes: []endpointItem{{Scheme: "HTTP", Why: "w"}}},
		"scheme with colon": {schemes: []endpointItem{{Scheme: "http:", Why: "w"}}},
		"scheme digit":      {schemes: []endpointItem{{Scheme: "9p", Why: "w"}}},
		"scheme and host":   {schemes: []endpointItem{{Scheme: "ftp", Host: "a.example", Why: "w"}}},
		"duplicate scheme":  {schemes: []endpointItem{scheme, scheme}},
		"cleartext host":    {hosts: []endpointItem{{Host: "a.example", Cleartext: true, Why: "w"}}},
	} {
		_, err := buildEndpoints("data/endpoints.json", c.ns, c.hosts, c.schemes)
		var de *DataError
		if !errors.As(err, &de) {
			t.Errorf("%s: error %v, want a DataError", name, err)
		}
	}
	if _, err := buildEndpoints("data/endpoints.json", []endpointItem{ok}, []endpointItem{host}, []endpointItem{scheme}); err != nil {
		t.Errorf("valid entries: %v", err)
	}
}

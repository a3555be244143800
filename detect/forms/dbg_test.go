package forms

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestDbg(t *testing.T) {
	if os.Getenv("DBG_APK") == "" {
		t.Skip()
	}
	r, _ := runFile(t, os.Getenv("DBG_APK"))
	for _, f := range r.Fields {
		if strings.Contains(f.Evidence.Location, os.Getenv("DBG_WHERE")) {
			fmt.Println(f.Evidence.Location, f.Categories, f.Labels, f.Matches)
		}
	}
	for _, o := range r.OptionLists {
		if len(o.Categories) > 0 && os.Getenv("DBG_LISTS") != "" {
			fmt.Println("L", o.Source, o.Categories, o.Options, o.Matches)
		}
	}
}

package knowledge

import (
	"slices"
	"strings"
	"testing"
)

// The taxonomy of issue 3 is a contract: every ID must be present.
var issueTaxonomy = []string{
	"person.name", "person.national_id", "person.birth", "person.gender", "person.address",
	"person.phone_number", "person.email", "person.photo", "person.physical", "person.biometric",
	"person.religion", "person.ethnicity", "person.political", "person.health", "person.sexuality",
	"person.criminal", "person.relationships", "person.travel", "person.vehicle", "person.finance",
	"person.work_education", "person.credentials",
	"device.contacts", "device.sms", "device.call_log", "device.calendar", "device.accounts",
	"device.installed_apps", "device.identifiers", "device.phone_number", "device.location",
	"device.network", "device.camera", "device.microphone", "device.screen", "device.clipboard",
	"device.notifications", "device.files", "device.media", "device.browser", "device.other_apps_data",
	"behaviour.dynamic_code", "behaviour.native_exec", "behaviour.root", "behaviour.accessibility",
	"behaviour.device_admin", "behaviour.hidden", "behaviour.sms_send", "behaviour.calls",
	"behaviour.boot", "behaviour.app_watchlist", "behaviour.content_watchlist", "behaviour.cleartext",
	"behaviour.exposed",
}

func TestCategoriesMatchIssue(t *testing.T) {
	cats := Categories()
	var ids []string
	for _, c := range cats {
		ids = append(ids, c.ID)
		if !strings.HasPrefix(c.ID, string(c.Group)+".") {
			t.Errorf("%s: group %s does not prefix the id", c.ID, c.Group)
		}
		if c.Title == "" || c.Description == "" {
			t.Errorf("%s: missing title or description", c.ID)
		}
	}
	for _, id := range issueTaxonomy {
		if !slices.Contains(ids, id) {
			t.Errorf("taxonomy lacks %s", id)
		}
	}
	if len(ids) != len(issueTaxonomy) {
		t.Errorf("taxonomy has %d categories, the issue %d: update the test when adding one", len(ids), len(issueTaxonomy))
	}
	t.Logf("compared %d categories", len(ids))
}

func TestSpecialCategories(t *testing.T) {
	want := []string{"person.religion", "person.ethnicity", "person.political", "person.health",
		"person.biometric", "person.sexuality", "person.criminal"}
	var got []string
	for _, c := range Categories() {
		if c.Special {
			got = append(got, c.ID)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("special categories = %v, want %v", got, want)
	}
}

func TestCategoryByID(t *testing.T) {
	c, ok := CategoryByID("device.sms")
	if !ok || c.Group != GroupDevice || c.Special {
		t.Errorf("CategoryByID(device.sms) = %+v, %v", c, ok)
	}
	if _, ok := CategoryByID("device.nonexistent"); ok {
		t.Error("CategoryByID accepted an unknown id")
	}
	if !IsCategory("person.religion") || IsCategory("religion") {
		t.Error("IsCategory is wrong")
	}
	// Categories returns a copy: changing it must not change the table.
	cs := Categories()
	cs[0].ID = "changed"
	if Categories()[0].ID == "changed" {
		t.Error("Categories exposes the shared table")
	}
}

// Every data file must load; a broken embedded file would otherwise only
// show up as a panic at run time.
func TestAllDataLoads(t *testing.T) {
	if err := Validate(); err != nil {
		t.Fatal(err)
	}
}

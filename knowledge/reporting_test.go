package knowledge

import (
	"slices"
	"testing"
)

func TestReportingTables(t *testing.T) {
	if _, err := reportingOnce(); err != nil {
		t.Fatal(err)
	}
	if got := PersonReligion.MASVS(); !slices.Equal(got, []string{"MASVS-PRIVACY-1"}) {
		t.Errorf("religion MASVS = %v", got)
	}
	if got := DeviceIdentifiers.MASVS(); !slices.Equal(got, []string{"MASVS-PRIVACY-2"}) {
		t.Errorf("identifiers MASVS = %v", got)
	}
	if got := BehaviourBoot.MASVS(); got != nil {
		t.Errorf("boot fits no control, got %v", got)
	}
	if MASVSControl("MASVS-NETWORK-1") == "" {
		t.Error("MASVS-NETWORK-1 has no text")
	}
	if n := len(DataSafetyTypes()); n != 38 {
		t.Errorf("%d Data safety types, Play's form has 38", n)
	}
	for _, name := range []string{"PSL_PHONE", "PSL_PHONE_NUMBER", "personal info / phone number", " Personal info / Phone number "} {
		ty, ok := LookupDataSafetyType(name)
		if !ok || ty.ID != "PSL_PHONE" || !slices.Contains(ty.Categories, PersonPhoneNumber) {
			t.Errorf("lookup %q = %+v, %v", name, ty, ok)
		}
	}
	if _, ok := LookupDataSafetyType("PSL_NO_SUCH_TYPE"); ok {
		t.Error("unknown type found")
	}
	var ids []string
	for _, ty := range PersonReligion.DeclaredBy() {
		ids = append(ids, ty.ID)
	}
	if !slices.Equal(ids, []string{"PSL_POLITICAL_RELIGIOUS"}) {
		t.Errorf("religion declared by %v", ids)
	}
	ids = nil
	for _, ty := range DeviceCamera.DeclaredBy() {
		ids = append(ids, ty.ID)
	}
	if !slices.Equal(ids, []string{"PSL_PHOTOS", "PSL_VIDEOS"}) {
		t.Errorf("camera declared by %v", ids)
	}
	if BehaviourBoot.DeclaredBy() != nil {
		t.Error("starting at boot is no data type")
	}
}

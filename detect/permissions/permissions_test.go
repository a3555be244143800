package permissions

import (
	"strings"
	"testing"

	"appxray/knowledge"
)

func TestDecide(t *testing.T) {
	r := &Result{uses: map[knowledge.Category]*Use{
		knowledge.DeviceContacts: {Own: "classes.dex La;->b()V"},
		knowledge.DeviceLocation: {SDKs: []string{"AdMob"}},
	}}
	for _, c := range []struct {
		cats       []knowledge.Category
		fact, want string
		why        string
	}{
		{[]knowledge.Category{knowledge.DeviceContacts}, "", Used, "La;->b()V"},
		{[]knowledge.Category{knowledge.DeviceLocation}, "", Unused, "AdMob"},
		{[]knowledge.Category{knowledge.DeviceCamera}, "", Unused, "never calls"},
		{[]knowledge.Category{knowledge.BehaviourBoot}, "the manifest declares receiver .Boot", Used, "receiver .Boot"},
		{nil, "", Unknown, "no category"},
	} {
		got, why := r.decide(c.cats, c.fact)
		if got != c.want || !strings.Contains(why, c.why) {
			t.Errorf("decide(%v, %q) = %s (%s), want %s (…%s…)", c.cats, c.fact, got, why, c.want, c.why)
		}
	}
	// Code that cannot be seen leaves an unreached permission unknown, not unused.
	r.Hidden = "the app's code is packed (Jiagu)"
	if got, why := r.decide([]knowledge.Category{knowledge.DeviceCamera}, ""); got != Unknown || !strings.Contains(why, "packed") {
		t.Errorf("hidden code: %s (%s), want unknown", got, why)
	}
	if got, _ := r.decide([]knowledge.Category{knowledge.DeviceContacts}, ""); got != Used {
		t.Errorf("hidden code, reached category: %s, want used", got)
	}
}

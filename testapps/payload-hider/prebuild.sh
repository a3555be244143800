# Sourced by scripts/build-testapps.sh in the app's scratch copy: builds the
# inner app (inner/, its own apktool project) and hides it as an image.
mkdir -p assets
build_inner inner assets/banner.jpg
rm -rf inner

param($name)

"Hello $name!"

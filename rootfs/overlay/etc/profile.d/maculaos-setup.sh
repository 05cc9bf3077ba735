# The first-boot wizard (`maculaos setup`) starts by itself at a login on tty1, the node's own
# screen and keyboard, while the node is not set up. The cue is /run/macula/setup-needed, which
# the maculaos-config service leaves at boot while /var/lib/maculaos/.configured is absent (that
# directory is root's only) and setup removes. Serial consoles and SSH are left alone: scripts
# and console servers use them (sysinfo says how to start setup there).
case $- in
*i*)
	if [ -e @MACULA_SETUP_NEEDED_CUE@ ] && [ "$(tty)" = /dev/tty1 ] && [ -x @MACULA_BINARY@ ]; then
		sudo @MACULA_BINARY@ setup
	fi
	;;
esac

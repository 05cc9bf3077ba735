# The node at a glance under the motd's logo (`maculaos sysinfo`), at interactive logins on a
# terminal only: scripts and `ssh HOST COMMAND` get nothing.
case $- in
*i*) [ -t 1 ] && [ -x @MACULA_BINARY@ ] && @MACULA_BINARY@ sysinfo 2>/dev/null ;;
esac

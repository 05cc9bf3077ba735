# What is installed after the image (k3s, kubectl, crictl, ctr and flux by `maculaos setup`,
# the mesh daemons) lives in /opt/macula/bin, not on the read-only root.
case ":$PATH:" in
*:@MACULA_PRODUCT_BIN_DIR@:*) ;;
*) PATH="$PATH:@MACULA_PRODUCT_BIN_DIR@" ;;
esac

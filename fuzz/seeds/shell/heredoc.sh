cat > /etc/app.conf <<EOF
port=${PORT:-80}
EOF
while read line; do [ -n "$line" ] && echo "$line"; done < /etc/app.conf

for i in $(seq 1 10); do
  echo "n=$i" | tee -a /tmp/log
done 2>&1 | wc -l

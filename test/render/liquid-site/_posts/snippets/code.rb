puts "relative <include>"

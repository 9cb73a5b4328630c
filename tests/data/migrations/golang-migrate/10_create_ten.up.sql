CREATE TABLE golang_ten (id int);

CREATE TABLE `users` (`id` int, `email` varchar(64), `user_agent` text);
INSERT INTO `users` VALUES (1,'[redacted:email:1]','[redacted:browser:1]'),(2,'[redacted:email:2]','[redacted:browser:2]');
